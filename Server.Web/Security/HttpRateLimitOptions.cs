using Microsoft.Extensions.Options;

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

public sealed class HttpRateLimitOptionsValidator : IValidateOptions<HttpRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpRateLimitOptions options)
    {
        var failures = new List<string>();
        Check(options.Api, nameof(HttpRateLimitOptions.Api), failures);
        Check(options.Login, nameof(HttpRateLimitOptions.Login), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(HttpRateLimitOptions.FixedWindow window, string which, List<string> failures)
    {
        var key = $"{HttpRateLimitOptions.SectionName}:{which}";
        if (window.PermitLimit is < 1 or > 1_000_000)
            failures.Add($"{key}:PermitLimit must be from 1 to 1000000.");
        if (window.Window < TimeSpan.FromMilliseconds(100) || window.Window > TimeSpan.FromHours(1))
            failures.Add($"{key}:Window must be between 100 ms and 1 hour.");
    }
}

/// <summary>How many HTTP requests the rate limiter and the cross-site guard turned away since start (shown in <c>/api/stats</c>).</summary>
public sealed class HttpLimitStats
{
    private long _rejected;
    private long _crossSiteRefused;

    public void Rejected() => Interlocked.Increment(ref _rejected);

    public void CrossSiteRefused() => Interlocked.Increment(ref _crossSiteRefused);

    public long RejectedCount => Interlocked.Read(ref _rejected);

    public long CrossSiteRefusedCount => Interlocked.Read(ref _crossSiteRefused);
}
