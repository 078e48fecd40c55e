namespace Punch.Server.Storage;

/// <summary>A session as the API and the dashboard show it.</summary>
public sealed record SessionView(
    string Id,
    string Network,
    string PeerA,
    string PeerB,
    SessionState State,
    string? PathKind,
    string? RemoteEndpointA,
    string? RemoteEndpointB,
    DateTimeOffset RequestedAt,
    DateTimeOffset? IntroducedAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? ClosedAt,
    double? TimeToConnectMs,
    double? RttMs,
    int ChecksSent,
    int ChecksReceived,
    string? FailureReason,
    string? NatMappingA,
    string? NatMappingB,
    // What the introduction handed out, each prefixed with its owner: "alice srflx 203.0.113.10:40000".
    IReadOnlyList<string> Candidates)
{
    /// <summary>The relay channel the introduction carried; null when the session is direct only.</summary>
    public int? RelayChannel { get; init; }
    /// <summary>Each side's NAT filtering when the pair was introduced; null when unknown.</summary>
    public string? NatFilteringA { get; init; }
    public string? NatFilteringB { get; init; }
    public string NatTypeA => NatTypes.Name(NatMappingA, NatFilteringA);
    public string NatTypeB => NatTypes.Name(NatMappingB, NatFilteringB);
    /// <summary>When the current path began, and how many times the path changed (the first path up included).</summary>
    public DateTimeOffset? PathChangedAt { get; init; }
    public int PathChanges { get; init; }
    /// <summary>Why punching failed, as a peer reported it; for a relayed session, why it is relayed.</summary>
    public string? PunchFailureReason { get; init; }
    /// <summary>Application bytes sent over the direct path and through the relay, both peers together, from their reports.</summary>
    public long BytesDirect { get; init; }
    public long BytesRelayed { get; init; }
    /// <summary>Bytes the relay forwarded for the session, as the server counted them.</summary>
    public long RelayBytes { get; init; }

    public static SessionView From(SessionRecord s) => new(
        s.Id, s.Network, s.PeerA, s.PeerB, s.State, s.PathKind, s.RemoteEndpointA, s.RemoteEndpointB,
        s.RequestedAt, s.IntroducedAt, s.ConnectedAt, s.ClosedAt, s.TimeToConnectMs, s.RttMs,
        s.ChecksSent, s.ChecksReceived, s.FailureReason, s.NatMappingA, s.NatMappingB, CandidateList.Split(s.Candidates))
    {
        RelayChannel = s.RelayChannel,
        NatFilteringA = s.NatFilteringA,
        NatFilteringB = s.NatFilteringB,
        PathChangedAt = s.PathChangedAt,
        PathChanges = s.PathChanges,
        PunchFailureReason = s.PunchFailureReason,
        BytesDirect = s.BytesDirectA + s.BytesDirectB,
        BytesRelayed = s.BytesRelayedA + s.BytesRelayedB,
        RelayBytes = s.RelayBytes,
    };
}
