namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.Introduced"/>, told from the requester's side (<see cref="PunchEvent.Peer"/>): what the server handed each side.</summary>
public sealed record SessionIntroduced : SessionEvent
{
    public override PunchEventKind Kind => PunchEventKind.Introduced;
    /// <summary>Both sides' candidates, each prefixed with its peer's name.</summary>
    public required IReadOnlyList<string> Candidates { get; init; }
    public string? NatMapping { get; init; }
    public string? OtherNatMapping { get; init; }
    public string? NatFiltering { get; init; }
    public string? OtherNatFiltering { get; init; }
    /// <summary>The relay channel both introductions carry; null when no relay was reserved.</summary>
    public int? RelayChannel { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => WithSession(common) with
    {
        Candidates = Candidates,
        NatMapping = NatMapping,
        OtherNatMapping = OtherNatMapping,
        NatFiltering = NatFiltering,
        OtherNatFiltering = OtherNatFiltering,
        RelayChannel = RelayChannel,
    };
}
