namespace Punch.Server.Rendezvous;

/// <summary>How a refusal by a cap reads on the wire.</summary>
public static class LimitRefusal
{
    /// <summary>RFC 8656 §6 "Allocation Quota Reached": this requester (or its network or address) has its share; others may still succeed.</summary>
    public const int QuotaReached = 486;

    /// <summary>RFC 8656 §6 "Insufficient Capacity": the whole server is at the limit; try later.</summary>
    public const int InsufficientCapacity = 508;

    public static int ErrorCode(this LimitKind limit) => limit switch
    {
        LimitKind.Peers or LimitKind.Sessions or LimitKind.PendingConnects => InsufficientCapacity,
        _ => QuotaReached,
    };

    /// <summary>Short on purpose: error replies are cut to the request's size plus a small allowance (no amplification), and a peer explains the code itself.</summary>
    public static string Reason(this LimitKind limit) => limit switch
    {
        LimitKind.Peers => "server at its peer limit; try later",
        LimitKind.PeersPerNetwork => "network at its peer limit",
        LimitKind.PeersPerAddress => "too many peers from this address",
        LimitKind.Sessions => "server at its session limit; try later",
        LimitKind.PendingConnects => "too many connects waiting; try later",
        LimitKind.PendingConnectsPerPeer => "too many of your connects waiting",
        LimitKind.RelayAllocations => "relay quota reached",
        LimitKind.RelayBytesPerSecond => "relay rate limit exceeded",
        LimitKind.RelayTotalBytes => "relay byte limit reached",
        LimitKind.RelayIdle => "relay idle",
        LimitKind.SessionsPerAddress => "too many sessions from this address",
        LimitKind.RelayAllocationsPerAddress => "relay quota of this address reached",
        LimitKind.PunchTimeout => "no path in time",
        LimitKind.AddressUnproven => "update punch: address proof needed",
        _ => "limit reached",
    };
}
