namespace Punch.Server.Telemetry;

/// <summary>Metrics and traces (section <c>Telemetry</c>): the <c>/metrics</c> scrape, label caps, optional OTLP export.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";
    public const string ScrapeTokenKey = SectionName + ":" + nameof(ScrapeToken);
    public const string MaxNetworkLabelsKey = SectionName + ":" + nameof(MaxNetworkLabels);
    public const string OtlpEndpointKey = SectionName + ":" + nameof(OtlpEndpoint);
    public const int MinScrapeTokenLength = 16;

    /// <summary>
    /// A secret a scraper sends as <c>Authorization: Bearer &lt;token&gt;</c> to read <c>/metrics</c> (and nothing
    /// else) when an admin password is set. Unset: only the admin's own credentials (cookie, API token) read it.
    /// </summary>
    public string? ScrapeToken { get; set; }

    /// <summary>
    /// Network names are chosen by peers: the first this many distinct networks get their own <c>network</c>
    /// label, later ones are counted under <c>other</c>, so a peer cannot grow the series without bound.
    /// </summary>
    public int MaxNetworkLabels { get; set; } = 20;

    /// <summary>An OTLP collector (<c>http://collector:4317</c>) to push metrics and traces to; unset, nothing is pushed.</summary>
    public string? OtlpEndpoint { get; set; }

    public Uri? OtlpUri => string.IsNullOrEmpty(OtlpEndpoint) ? null : new Uri(OtlpEndpoint);
}
