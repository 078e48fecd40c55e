namespace Punch.Server.Events;

/// <summary>
/// An event as the readers see it: the writer stores a <see cref="PunchEvent"/> and hands this flat
/// shape (with its database id) to the SignalR hub and the dashboard; the REST API reads it back from
/// the event log. One flat shape rather than the typed records because it is what the browser and API
/// clients parse as JSON, whatever the kind. Optional fields are filled where the kind has them.
/// </summary>
public sealed record StoredEvent
{
    /// <summary>Database id; 0 until the writer has stored the event.</summary>
    public long Id { get; init; }
    public required PunchEventKind Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public required string Network { get; init; }
    /// <summary>The peer the event is about, or the peer that reported it.</summary>
    public required string Peer { get; init; }
    /// <summary>For session events: the other peer of the pair.</summary>
    public string? OtherPeer { get; init; }
    /// <summary>For session events: the session id (e.g. "7f3a9c21e0b4d5f6").</summary>
    public string? SessionId { get; init; }
    /// <summary>For registrations: the public (server-reflexive) endpoint the server saw, "203.0.113.7:40000".</summary>
    public string? PublicEndpoint { get; init; }
    /// <summary>For registrations: the peer's host candidates; for introductions and check summaries: candidates offered or tried, "host 198.18.0.2:5000".</summary>
    public IReadOnlyList<string>? Candidates { get; init; }
    /// <summary>For PathUp and PathChanged: "direct" or "relayed".</summary>
    public string? PathKind { get; init; }
    /// <summary>For PathUp: the endpoint the reporting peer sends to.</summary>
    public string? RemoteEndpoint { get; init; }
    /// <summary>For PathUp/Failed: milliseconds from introduction to the outcome, measured by the peer.</summary>
    public double? ElapsedMs { get; init; }
    /// <summary>For PathUp: round-trip time of the nominating check, in milliseconds.</summary>
    public double? RttMs { get; init; }
    public int? ChecksSent { get; init; }
    public int? ChecksReceived { get; init; }
    /// <summary>For Registered/Refreshed: the peer's NAT mapping as it measured it ("endpoint-independent", "endpoint-dependent"); for Introduced: the requester's.</summary>
    public string? NatMapping { get; init; }
    /// <summary>For Introduced: the other peer's NAT mapping.</summary>
    public string? OtherNatMapping { get; init; }
    /// <summary>For Registered/Refreshed: the peer's NAT filtering as it discovered it ("endpoint-independent", "address-dependent", "address-and-port-dependent"); for Introduced: the requester's. Null when unknown.</summary>
    public string? NatFiltering { get; init; }
    /// <summary>For Introduced: the other peer's NAT filtering.</summary>
    public string? OtherNatFiltering { get; init; }
    /// <summary>For Registered/Refreshed: whether the peer's NAT hairpins; null when unknown.</summary>
    public bool? Hairpinning { get; init; }
    /// <summary>For Registered/Refreshed: whether the peer's NAT kept its local port; null when unknown.</summary>
    public bool? PortPreserved { get; init; }
    /// <summary>For Rejected/Failed/Closed/Expired: a reason a person can act on.</summary>
    public string? Reason { get; init; }
    /// <summary>For relay events: the session's relay channel (0x4000-0x4FFF).</summary>
    public int? RelayChannel { get; init; }
    /// <summary>For relay events: bytes the relay forwarded for the session so far, both directions, as the server counted them.</summary>
    public long? RelayBytes { get; init; }
    /// <summary>For reports: application bytes the reporting peer sent over the direct path so far.</summary>
    public long? BytesDirect { get; init; }
    /// <summary>For reports: application bytes the reporting peer sent through the relay so far.</summary>
    public long? BytesRelayed { get; init; }
}
