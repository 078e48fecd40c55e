using System.Security.Cryptography;
using System.Text;

namespace Punch.Server.Security;

/// <summary>
/// Who may open the dashboard, the REST API and the hub (section <c>Dashboard</c>). With neither
/// password setting the server is open, and therefore must listen on loopback only unless
/// <see cref="AllowAnonymous"/> (see <see cref="HttpBindingValidator"/>); pages of other sites are
/// kept out either way (see <see cref="CrossSiteRequestGuard"/>).
/// </summary>
public sealed class AdminAccessOptions
{
    public const string SectionName = "Dashboard";
    public const string PasswordKey = SectionName + ":" + nameof(AdminPassword);
    public const string PasswordHashKey = SectionName + ":" + nameof(AdminPasswordHash);
    public const string AllowAnonymousKey = SectionName + ":" + nameof(AllowAnonymous);
    public const string AllowedOriginsKey = SectionName + ":" + nameof(AllowedOrigins);
    public const int MinPasswordLength = 8;

    /// <summary>The admin password in plain text (fine for a secret store or an environment variable).</summary>
    public string? AdminPassword { get; set; }

    /// <summary>A <see cref="PasswordHash"/> string, for configuration files that others may read.</summary>
    public string? AdminPasswordHash { get; set; }

    /// <summary>How long a bearer token from <c>POST /api/token</c> is accepted.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a dashboard login lasts (sliding).</summary>
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Without a password, listen on addresses that are not loopback anyway (the operator's explicit choice).</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Origins (<c>https://ops.example.org</c>) besides the dashboard's own whose pages may call the
    /// API and the hub from a browser; every other page's requests that carry an Origin are refused.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public bool LoginRequired => !string.IsNullOrEmpty(AdminPassword) || !string.IsNullOrEmpty(AdminPasswordHash);

    /// <summary>Constant-time for the plain password (both sides hashed first, so lengths do not leak either).</summary>
    public bool IsAdminPassword(string? candidate)
    {
        if (candidate is null || !LoginRequired)
        {
            return false;
        }

        if (!string.IsNullOrEmpty(AdminPasswordHash))
        {
            return PasswordHash.Verify(candidate, AdminPasswordHash);
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), SHA256.HashData(Encoding.UTF8.GetBytes(AdminPassword!)));
    }
}
