namespace Punch.Server.Relay;

/// <summary>A live allocation as <c>GET /api/relay</c> and the relay page show it.</summary>
public sealed record RelayAllocationView(
    string SessionId,
    string Network,
    int Channel,
    RelayState State,
    RelaySideView Requester,
    RelaySideView Target,
    DateTimeOffset CreatedAt,
    double AgeSeconds,
    double IdleSeconds,
    long PacketsDropped,
    // When forwarding stops because a direct path is up; null when none is due.
    DateTimeOffset? ReleaseAt,
    // Why forwarding last stopped (a limit, idle, a direct path); null while it never did.
    string? StopReason)
{
    public long BytesForwarded => Requester.BytesForwarded + Target.BytesForwarded;

    public static RelayAllocationView From(RelayAllocation a, DateTimeOffset now, TimeSpan idle) => new(
        a.SessionId.ToString(), a.Network, a.Channel, a.State, SideView(a.Requester), SideView(a.Target),
        a.CreatedAt, (now - a.CreatedAt).TotalSeconds, idle.TotalSeconds, Volatile.Read(ref a.PacketsDropped), a.ReleaseAt, a.StopReason);

    private static RelaySideView SideView(RelaySide side) =>
        new(side.Peer, side.EndPoint?.ToString(), side.ActivatedAt, Volatile.Read(ref side.PacketsForwarded), Volatile.Read(ref side.BytesForwarded));
}
