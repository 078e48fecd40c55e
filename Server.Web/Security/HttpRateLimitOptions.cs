namespace Punch.Server.Security;

/// <summary>Per-client-address limits on HTTP (section <c>Dashboard:RateLimit</c>): fixed windows, no queueing.</summary>
public sealed class HttpRateLimitOptions
{
    public const string SectionName = "Dashboard:RateLimit";

    /// <summary>The REST API: generous enough for a script that polls, low enough that one client cannot busy the database.</summary>
    public FixedWindow Api { get; set; } = new() { PermitLimit = 300, Window = TimeSpan.FromSeconds(10) };

    /// <summary>Login form and <c>POST /api/token</c>: a password guesser gets a handful of tries a minute.</summary>
    public FixedWindow Login { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    public sealed class FixedWindow
    {
        public int PermitLimit { get; set; }
        public TimeSpan Window { get; set; }
    }
}
