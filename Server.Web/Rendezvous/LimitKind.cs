namespace Punch.Server.Rendezvous;

/// <summary>The caps a request can be refused by; each has its own counter and error reason.</summary>
public enum LimitKind
{
    /// <summary>Rendezvous:MaxPeers</summary>
    Peers,
    /// <summary>Rendezvous:MaxPeersPerNetwork</summary>
    PeersPerNetwork,
    /// <summary>Rendezvous:MaxPeersPerAddress</summary>
    PeersPerAddress,
    /// <summary>Rendezvous:MaxSessions</summary>
    Sessions,
    /// <summary>Rendezvous:MaxPendingConnects</summary>
    PendingConnects,
    /// <summary>Rendezvous:MaxPendingConnectsPerPeer</summary>
    PendingConnectsPerPeer,
    /// <summary>Rendezvous:MaxRelayAllocations: the introduction carries no relay channel.</summary>
    RelayAllocations,
    /// <summary>Relay:BytesPerSecond: a session's relay sent faster than its token bucket allows.</summary>
    RelayBytesPerSecond,
    /// <summary>Relay:MaxBytes: a session's relay forwarded all it may.</summary>
    RelayTotalBytes,
    /// <summary>Relay:IdleTimeout: a session's relay forwarded nothing in either direction for that long.</summary>
    RelayIdle,
    /// <summary>Rendezvous:MaxSessionsPerAddress</summary>
    SessionsPerAddress,
    /// <summary>Rendezvous:MaxRelayAllocationsPerAddress: the introduction carries no relay channel.</summary>
    RelayAllocationsPerAddress,
    /// <summary>Rendezvous:PunchTimeout: an introduced session had no path in time and ended Failed.</summary>
    PunchTimeout,
    /// <summary>A Register or RelayActivate from a source not proven to receive: answered with a challenge only.</summary>
    AddressUnproven,
}
