namespace Punch.Server.Events;

/// <summary>
/// An exposed service's event (<see cref="PunchEventKind.Exposed"/>, <see cref="PunchEventKind.Unexposed"/>,
/// <see cref="PunchEventKind.VisitorConnected"/>, <see cref="PunchEventKind.VisitorClosed"/>): the peer's address
/// and a line naming the port and what happened. The visitor and byte count are there for the kinds that have them.
/// </summary>
public sealed record ServiceEvent : PunchEvent
{
    public ServiceEvent(PunchEventKind kind) =>
        Kind = OneOf(kind, PunchEventKind.Exposed, PunchEventKind.Unexposed, PunchEventKind.VisitorConnected, PunchEventKind.VisitorClosed);

    public override PunchEventKind Kind { get; }
    /// <summary>The exposing peer's control connection address.</summary>
    public required string PublicEndpoint { get; init; }
    /// <summary>The public port and what happened to it.</summary>
    public required string Reason { get; init; }
    /// <summary>For visitor events: the visitor's address.</summary>
    public string? RemoteEndpoint { get; init; }
    /// <summary>For Unexposed and VisitorClosed: bytes carried both ways.</summary>
    public long? RelayBytes { get; init; }

    protected override StoredEvent Describe(StoredEvent common) =>
        common with { PublicEndpoint = PublicEndpoint, Reason = Reason, RemoteEndpoint = RemoteEndpoint, RelayBytes = RelayBytes };
}
