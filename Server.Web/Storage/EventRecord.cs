using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>One row of the append-only event log; mirrors <see cref="StoredEvent"/>.</summary>
public sealed class EventRecord
{
    public long Id { get; set; }
    public PunchEventKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Network { get; set; }
    public required string Peer { get; set; }
    public string? OtherPeer { get; set; }
    public string? SessionId { get; set; }
    public string? PublicEndpoint { get; set; }
    /// <summary>Newline-joined candidates, or null when the event had none.</summary>
    public string? Candidates { get; set; }
    public string? PathKind { get; set; }
    public string? RemoteEndpoint { get; set; }
    public double? ElapsedMs { get; set; }
    public double? RttMs { get; set; }
    public int? ChecksSent { get; set; }
    public int? ChecksReceived { get; set; }
    /// <summary>"endpoint-independent", "endpoint-dependent", or null when unknown.</summary>
    public string? NatMapping { get; set; }
    public string? OtherNatMapping { get; set; }
    public string? NatFiltering { get; set; }
    public string? OtherNatFiltering { get; set; }
    public bool? Hairpinning { get; set; }
    public bool? PortPreserved { get; set; }
    public string? Reason { get; set; }
    public int? RelayChannel { get; set; }
    public long? RelayBytes { get; set; }
    public long? BytesDirect { get; set; }
    public long? BytesRelayed { get; set; }

    public static EventRecord From(StoredEvent e) => new()
    {
        Kind = e.Kind,
        At = e.At,
        Network = e.Network,
        Peer = e.Peer,
        OtherPeer = e.OtherPeer,
        SessionId = e.SessionId,
        PublicEndpoint = e.PublicEndpoint,
        Candidates = e.Candidates is null ? null : CandidateList.Join(e.Candidates),
        PathKind = e.PathKind,
        RemoteEndpoint = e.RemoteEndpoint,
        ElapsedMs = e.ElapsedMs,
        RttMs = e.RttMs,
        ChecksSent = e.ChecksSent,
        ChecksReceived = e.ChecksReceived,
        NatMapping = e.NatMapping,
        OtherNatMapping = e.OtherNatMapping,
        NatFiltering = e.NatFiltering,
        OtherNatFiltering = e.OtherNatFiltering,
        Hairpinning = e.Hairpinning,
        PortPreserved = e.PortPreserved,
        Reason = e.Reason,
        RelayChannel = e.RelayChannel,
        RelayBytes = e.RelayBytes,
        BytesDirect = e.BytesDirect,
        BytesRelayed = e.BytesRelayed,
    };

    public StoredEvent ToStoredEvent() => new()
    {
        Id = Id,
        Kind = Kind,
        At = At,
        Network = Network,
        Peer = Peer,
        OtherPeer = OtherPeer,
        SessionId = SessionId,
        PublicEndpoint = PublicEndpoint,
        Candidates = Candidates is null ? null : CandidateList.Split(Candidates),
        PathKind = PathKind,
        RemoteEndpoint = RemoteEndpoint,
        ElapsedMs = ElapsedMs,
        RttMs = RttMs,
        ChecksSent = ChecksSent,
        ChecksReceived = ChecksReceived,
        NatMapping = NatMapping,
        OtherNatMapping = OtherNatMapping,
        NatFiltering = NatFiltering,
        OtherNatFiltering = OtherNatFiltering,
        Hairpinning = Hairpinning,
        PortPreserved = PortPreserved,
        Reason = Reason,
        RelayChannel = RelayChannel,
        RelayBytes = RelayBytes,
        BytesDirect = BytesDirect,
        BytesRelayed = BytesRelayed,
    };
}
