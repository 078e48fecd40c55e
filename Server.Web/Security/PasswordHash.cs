using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Punch.Server.Security;

/// <summary>
/// The hashed form of the admin password for <c>Dashboard:AdminPasswordHash</c>:
/// <c>PBKDF2-SHA256$iterations$salt$hash</c> with base64 salt (16 bytes) and hash (32 bytes).
/// Produce one with <c>dotnet run --project Server.Web -- hash-password</c> (reads the password from stdin).
/// </summary>
public static class PasswordHash
{
    public const string Prefix = "PBKDF2-SHA256";
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA256.</summary>
    public const int DefaultIterations = 600_000;
    public const int MinIterations = 100_000;
    public const int MaxIterations = 10_000_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Create(string password, int iterations = DefaultIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, iterations);
        return string.Join('$', Prefix, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="text"/> is a hash this class can verify against; <paramref name="problem"/> says why not.</summary>
    public static bool IsWellFormed(string text, out string problem) => TryParse(text, out _, out _, out _, out problem);

    public static bool Verify(string candidate, string encodedHash)
    {
        if (!TryParse(encodedHash, out var iterations, out var salt, out var expected, out _))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Derive(candidate, salt, iterations), expected);
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);

    private static bool TryParse(string text, out int iterations, out byte[] salt, out byte[] hash, out string problem)
    {
        iterations = 0;
        salt = hash = [];
        var parts = text.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix)
        {
            problem = $"expected {Prefix}$iterations$salt$hash (make one with: dotnet run --project Server.Web -- hash-password).";
            return false;
        }
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < MinIterations || iterations > MaxIterations)
        {
            problem = $"the iteration count must be a whole number from {MinIterations} to {MaxIterations}.";
            return false;
        }
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            problem = "the salt and the hash must be base64.";
            return false;
        }
        if (salt.Length < SaltBytes || hash.Length != HashBytes)
        {
            problem = $"the salt must be at least {SaltBytes} bytes and the hash {HashBytes} bytes.";
            return false;
        }
        problem = "";
        return true;
    }
}
