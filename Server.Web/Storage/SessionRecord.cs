namespace Punch.Server.Storage;

/// <summary>One connection attempt between two peers (a projection of the event log).</summary>
public sealed class SessionRecord
{
    /// <summary>The session id the rendezvous assigned (SessionEvent.SessionId).</summary>
    public required string Id { get; set; }
    public required string Network { get; set; }
    /// <summary>The peer that asked for the connection.</summary>
    public required string PeerA { get; set; }
    public required string PeerB { get; set; }
    public SessionState State { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? IntroducedAt { get; set; }
    public DateTimeOffset? ConnectedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public double? TimeToConnectMs { get; set; }
    public double? RttMs { get; set; }
    public string? PathKind { get; set; }
    /// <summary>The endpoint peer A sends to over the working path.</summary>
    public string? RemoteEndpointA { get; set; }
    /// <summary>The endpoint peer B sends to over the working path.</summary>
    public string? RemoteEndpointB { get; set; }
    public int ChecksSent { get; set; }
    public int ChecksReceived { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>Peer A's NAT mapping when the server introduced the pair; null when unknown.</summary>
    public string? NatMappingA { get; set; }
    /// <summary>Peer B's NAT mapping when the server introduced the pair; null when unknown.</summary>
    public string? NatMappingB { get; set; }
    /// <summary>Peer A's NAT filtering when the server introduced the pair; null when unknown.</summary>
    public string? NatFilteringA { get; set; }
    /// <summary>Peer B's NAT filtering when the server introduced the pair; null when unknown.</summary>
    public string? NatFilteringB { get; set; }
    /// <summary>
    /// The candidates the server handed out in the introduction, newline-joined, each prefixed with the
    /// peer it belongs to ("alice srflx 203.0.113.10:40000"); each side was offered the other's.
    /// </summary>
    public string Candidates { get; set; } = "";
    /// <summary>The relay channel the introduction carried; null when the session is direct only.</summary>
    public int? RelayChannel { get; set; }
    /// <summary>When the current path (<see cref="PathKind"/>) began; with <see cref="PathChanges"/>, the event log has each change.</summary>
    public DateTimeOffset? PathChangedAt { get; set; }
    public int PathChanges { get; set; }
    /// <summary>Why punching failed, as a peer reported it; kept when the session then connects through the relay.</summary>
    public string? PunchFailureReason { get; set; }
    /// <summary>Application bytes each peer sent over each path, from its latest report (the counts are cumulative).</summary>
    public long BytesDirectA { get; set; }
    public long BytesRelayedA { get; set; }
    public long BytesDirectB { get; set; }
    public long BytesRelayedB { get; set; }
    /// <summary>Bytes the relay forwarded for the session, as the server counted them (from its relay events).</summary>
    public long RelayBytes { get; set; }
}
