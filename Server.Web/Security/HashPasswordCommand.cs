namespace Punch.Server.Security;

/// <summary><c>hash-password</c>: prints the <see cref="PasswordHash"/> of a password read from stdin, so it never lands in shell history.</summary>
public static class HashPasswordCommand
{
    public const string Name = "hash-password";

    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args is not [Name, ..])
        {
            return false;
        }

        if (!Console.IsInputRedirected)
        {
            Console.Error.Write("Password: ");
        }

        var password = Console.ReadLine();
        if (string.IsNullOrEmpty(password) || password.Length < AdminAccessOptions.MinPasswordLength)
        {
            Console.Error.WriteLine($"The password must be at least {AdminAccessOptions.MinPasswordLength} characters.");
            exitCode = 2;
            return true;
        }
        Console.WriteLine(PasswordHash.Create(password));
        Console.Error.WriteLine("Put it in Dashboard:AdminPasswordHash (environment: Dashboard__AdminPasswordHash).");
        return true;
    }
}
