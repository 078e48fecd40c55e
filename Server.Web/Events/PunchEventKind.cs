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
    /// <summary>A request was refused (name taken, unknown peer, bad request); <see cref="StoredEvent.Reason"/> says why.</summary>
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
    /// <summary>A peer reported that no path came up; <see cref="StoredEvent.Reason"/> says why.</summary>
    Failed,
    /// <summary>A peer reported that it closed the session (or lost the path).</summary>
    Closed,
    /// <summary>The server reserved a relay channel for the session (<see cref="StoredEvent.RelayChannel"/>); both introductions carry it.</summary>
    RelayAllocated,
    /// <summary>A peer bound the session's relay to its address (<see cref="StoredEvent.PublicEndpoint"/>): frames between bound sides are forwarded.</summary>
    RelayActivated,
    /// <summary>The relay stopped forwarding for the session (direct path up, idle, session over); <see cref="StoredEvent.Reason"/> says why. A peer may activate again.</summary>
    RelayReleased,
    /// <summary>A relay limit was hit (rate, total bytes, allocation count); <see cref="StoredEvent.Reason"/> names it.</summary>
    RelayLimit,
    /// <summary>The session's path changed (<see cref="StoredEvent.PathKind"/> is the new one): first path up, relay to direct, or a fallback to the relay.</summary>
    PathChanged,
    /// <summary>A peer published a local service on a public TCP port of the server (<see cref="StoredEvent.Reason"/>: port and service; <see cref="StoredEvent.PublicEndpoint"/>: the peer's address). Refusals are <see cref="Rejected"/>.</summary>
    Exposed,
    /// <summary>An exposed service's public port closed (control connection ended, timed out, replaced, or the server stopped); <see cref="StoredEvent.Reason"/> says why.</summary>
    Unexposed,
    /// <summary>Someone connected to an exposed service's public port (<see cref="StoredEvent.RemoteEndpoint"/>: the visitor).</summary>
    VisitorConnected,
    /// <summary>A visitor's connection ended; <see cref="StoredEvent.RelayBytes"/> is what it carried both ways, <see cref="StoredEvent.Reason"/> each way and why it ended.</summary>
    VisitorClosed,
}
