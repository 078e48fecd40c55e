namespace Punch.Server.Storage;

/// <summary>What the database says for the overview and <c>GET /api/stats</c> (the API adds the live counters, <c>PunchStats</c>).</summary>
public sealed record StoredStats(
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
}
