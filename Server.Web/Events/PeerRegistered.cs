namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.Registered"/>: what the server saw of the peer and what the peer measured of its NAT.</summary>
public sealed record PeerRegistered : PunchEvent
{
    public override PunchEventKind Kind => PunchEventKind.Registered;
    /// <summary>The public (server-reflexive) endpoint the server saw, "203.0.113.7:40000".</summary>
    public required string PublicEndpoint { get; init; }
    /// <summary>The peer's candidates, "host 198.18.0.2:5000".</summary>
    public required IReadOnlyList<string> Candidates { get; init; }
    public required NatReportText Nat { get; init; }

    protected override StoredEvent Describe(StoredEvent common) =>
        Nat.Describe(common with { PublicEndpoint = PublicEndpoint, Candidates = Candidates });
}
