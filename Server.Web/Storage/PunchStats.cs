using Punch.Server.Rendezvous;

namespace Punch.Server.Storage;

/// <summary>What the overview and <c>GET /api/stats</c> show.</summary>
public sealed record PunchStats(
    RendezvousCounters Rendezvous,
    int PeersOnline,
    int PeersKnown,
    int SessionsTotal,
    int SessionsActive,
    int SessionsDirect,
    int SessionsFailed,
    long EventsStored,
    // Share of decided sessions (ever direct, or failed) that got a direct path; null before any was decided.
    double? SuccessRate,
    // How the online peers' NATs map (RFC 4787 §4.1).
    NatMappingCounts OnlineNatMappings)
{
    /// <summary>Sessions whose current path is the relay.</summary>
    public int SessionsRelayed { get; init; }

    /// <summary>Events stored, dropped at the full queue, and pruned since start; the retention settings.</summary>
    public StorageCounters? Storage { get; init; }

    /// <summary>HTTP requests the rate limiter turned away since start (filled in by <c>GET /api/stats</c>).</summary>
    public long HttpRequestsRateLimited { get; init; }

    /// <summary>HTTP requests refused as coming from another site (foreign Origin, or a change without X-Punch-Request), filled in by <c>GET /api/stats</c>.</summary>
    public long HttpRequestsCrossSiteRefused { get; init; }
}
