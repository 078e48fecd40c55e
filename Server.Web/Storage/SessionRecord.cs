namespace Punch.Server.Storage;

/// <summary>Where a session stands. Ordered by progress; Failed and Closed are outcomes.</summary>
public enum SessionState
{
    Requested,
    Introduced,
    Punching,
    Direct,
    Failed,
    Closed,
}

/// <summary>One connection attempt between two peers (a projection of the event log).</summary>
public sealed class SessionRecord
{
    /// <summary>The session id the rendezvous assigned (PunchEvent.SessionId).</summary>
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
    /// <summary>
    /// The candidates the server handed out in the introduction, newline-joined, each prefixed with the
    /// peer it belongs to ("alice srflx 203.0.113.10:40000"); each side was offered the other's.
    /// </summary>
    public string Candidates { get; set; } = "";
}
