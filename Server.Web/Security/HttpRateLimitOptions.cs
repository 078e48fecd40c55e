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

/// <summary>
/// How many HTTP requests the rate limiter and the cross-site guard turned away since start (shown in
/// <c>/api/stats</c>): the instrument <c>punch.http.refused</c> of <see cref="Telemetry.ServerMeter"/>, read back from there.
/// </summary>
public sealed class HttpLimitStats(Telemetry.ServerMeter meter)
{
    private const string RateLimited = "rate_limited";
    private const string CrossSite = "cross_site";
    private readonly System.Diagnostics.Metrics.Counter<long> _refused =
        meter.Meter.CreateCounter<long>("punch.http.refused", "{request}", "HTTP requests refused by the rate limit or the cross-site guard, by reason");

    public void Rejected() => _refused.Add(1, new KeyValuePair<string, object?>("reason", RateLimited));

    public void CrossSiteRefused() => _refused.Add(1, new KeyValuePair<string, object?>("reason", CrossSite));

    public long RejectedCount => meter.Of(_refused, RateLimited);

    public long CrossSiteRefusedCount => meter.Of(_refused, CrossSite);
}
