namespace Punch.Server.Events;

/// <summary>What happened. Every state change of the rendezvous is one of these.</summary>
public enum PunchEventKind
{
    /// <summary>A peer registered (or re-registered after expiry or a server restart).</summary>
    Registered,
    /// <summary>A live peer refreshed its registration.</summary>
    Refreshed,
    /// <summary>A peer stopped refreshing and its registration lapsed.</summary>
    Expired,
    /// <summary>A peer said goodbye (refresh with lifetime 0).</summary>
    Unregistered,
    /// <summary>A request was refused (name taken, unknown peer, bad request); <see cref="PunchEvent.Reason"/> says why.</summary>
    Rejected,
    /// <summary>A peer asked to be connected to another by name; the session now exists in state Requested.</summary>
    ConnectRequested,
    /// <summary>The server sent both peers each other's candidates and credentials.</summary>
    Introduced,
    /// <summary>Both peers acknowledged the introduction: they are punching.</summary>
    Punching,
    /// <summary>A peer's summary of its connectivity checks (sent, received, candidates tried).</summary>
    ChecksSummary,
    /// <summary>A peer reported a working direct path.</summary>
    PathUp,
    /// <summary>A peer reported that no path came up; <see cref="PunchEvent.Reason"/> says why.</summary>
    Failed,
    /// <summary>A peer reported that it closed the session (or lost the path).</summary>
    Closed,
    /// <summary>The server reserved a relay channel for the session (<see cref="PunchEvent.RelayChannel"/>); both introductions carry it.</summary>
    RelayAllocated,
    /// <summary>A peer bound the session's relay to its address (<see cref="PunchEvent.PublicEndpoint"/>): frames between bound sides are forwarded.</summary>
    RelayActivated,
    /// <summary>The relay stopped forwarding for the session (direct path up, idle, session over); <see cref="PunchEvent.Reason"/> says why. A peer may activate again.</summary>
    RelayReleased,
    /// <summary>A relay limit was hit (rate, total bytes, allocation count); <see cref="PunchEvent.Reason"/> names it.</summary>
    RelayLimit,
    /// <summary>The session's path changed (<see cref="PunchEvent.PathKind"/> is the new one): first path up, relay to direct, or a fallback to the relay.</summary>
    PathChanged,
    /// <summary>A peer published a local service on a public TCP port of the server (<see cref="PunchEvent.Reason"/>: port and service; <see cref="PunchEvent.PublicEndpoint"/>: the peer's address). Refusals are <see cref="Rejected"/>.</summary>
    Exposed,
    /// <summary>An exposed service's public port closed (control connection ended, timed out, replaced, or the server stopped); <see cref="PunchEvent.Reason"/> says why.</summary>
    Unexposed,
    /// <summary>Someone connected to an exposed service's public port (<see cref="PunchEvent.RemoteEndpoint"/>: the visitor).</summary>
    VisitorConnected,
    /// <summary>A visitor's connection ended; <see cref="PunchEvent.RelayBytes"/> is what it carried both ways, <see cref="PunchEvent.Reason"/> each way and why it ended.</summary>
    VisitorClosed,
}

/// <summary>
/// One state change, as it flows from the UDP receive loop through the bounded event channel to the
/// SQLite writer and then (with its database id) to the SignalR hub and the dashboard.
/// Optional fields are filled where the kind has them.
/// </summary>
public sealed record PunchEvent
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
