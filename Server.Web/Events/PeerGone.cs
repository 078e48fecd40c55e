namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.Expired"/> or <see cref="PunchEventKind.Unregistered"/>: the peer is offline, for the reason given.</summary>
public sealed record PeerGone : PunchEvent
{
    public PeerGone(PunchEventKind kind) => Kind = OneOf(kind, PunchEventKind.Expired, PunchEventKind.Unregistered);

    public override PunchEventKind Kind { get; }
    /// <summary>The peer's last known address; null for an expiry (nothing was received).</summary>
    public string? PublicEndpoint { get; init; }
    public required string Reason { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => common with { PublicEndpoint = PublicEndpoint, Reason = Reason };
}
