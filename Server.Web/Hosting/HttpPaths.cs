namespace Punch.Server.Hosting;

/// <summary>
/// The server's URL layout in one place: the features that serve these paths map them, and Security
/// tells them apart from the dashboard's pages (problem details, not redirects; the cross-site rule).
/// </summary>
public static class HttpPaths
{
    /// <summary>The REST API's prefix.</summary>
    public const string Api = "/api";

    /// <summary>The health checks load balancers and container probes ask, without credentials.</summary>
    public const string Health = "/healthz";

    /// <summary>The SignalR hub with the live event feed.</summary>
    public const string Hub = "/hubs/punch";

    /// <summary>Prometheus text of the meters.</summary>
    public const string Metrics = "/metrics";
}
