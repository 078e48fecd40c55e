namespace Punch.Server.Events;

/// <summary>
/// <see cref="PunchEventKind.RelayAllocated"/>, <see cref="PunchEventKind.RelayActivated"/>, <see cref="PunchEventKind.RelayReleased"/>
/// or <see cref="PunchEventKind.RelayLimit"/>: the relay's own events, each with the session's relay counters as the server
/// counted them. One record: the relay publishes all four from one allocation, and the optional parts are what
/// the kind's own row says (the address that activated, why it stopped).
/// </summary>
public sealed record RelayEvent : SessionEvent
{
    public RelayEvent(PunchEventKind kind) =>
        Kind = OneOf(kind, PunchEventKind.RelayAllocated, PunchEventKind.RelayActivated, PunchEventKind.RelayReleased, PunchEventKind.RelayLimit);

    public override PunchEventKind Kind { get; }
    /// <summary>The session's relay channel (0x4000-0x4FFF); null when a limit refused the allocation.</summary>
    public int? RelayChannel { get; init; }
    /// <summary>Bytes the relay forwarded for the session so far, both directions.</summary>
    public long? RelayBytes { get; init; }
    /// <summary>For RelayActivated: the address the peer bound.</summary>
    public string? PublicEndpoint { get; init; }
    /// <summary>For RelayReleased and RelayLimit: why.</summary>
    public string? Reason { get; init; }

    protected override StoredEvent Describe(StoredEvent common) =>
        WithSession(common) with { RelayChannel = RelayChannel, RelayBytes = RelayBytes, PublicEndpoint = PublicEndpoint, Reason = Reason };
}
