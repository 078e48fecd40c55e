namespace Punch.Server.Events;

/// <summary>
/// <see cref="PunchEventKind.Refreshed"/>. Peers measure their NAT just after registering and report it in
/// the next refresh, so a refresh carries the same NAT report as a registration (parts may be unknown).
/// </summary>
public sealed record PeerRefreshed : PunchEvent
{
    public override PunchEventKind Kind => PunchEventKind.Refreshed;
    public required string PublicEndpoint { get; init; }
    public required NatReportText Nat { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => Nat.Describe(common with { PublicEndpoint = PublicEndpoint });
}
