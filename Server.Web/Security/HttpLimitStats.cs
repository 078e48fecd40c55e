namespace Punch.Server.Security;

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
