namespace Punch.Core.Protocol;

/// <summary>RFC 8445 §5.1.1 candidate types.</summary>
public enum CandidateKind : byte
{
    /// <summary>An address of the peer's own interface.</summary>
    Host = 1,
    /// <summary>The public address the rendezvous server saw (server-reflexive).</summary>
    ServerReflexive = 2,
    /// <summary>An address learned from a check that arrived from an unexpected source.</summary>
    PeerReflexive = 3,
    /// <summary>A relay allocation.</summary>
    Relayed = 4,
    /// <summary>A port the peer's own router mapped for it on request (PCP, NAT-PMP or UPnP IGD): reachable from anyone.</summary>
    Mapped = 5,
}
