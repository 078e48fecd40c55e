using Punch.Core.Protocol;

namespace Punch.Server.Relay;

/// <summary>
/// A session's relay allocation (RFC 8656 §2.2 in spirit: one channel, two permitted peers). Created at
/// the introduction, bound per side by an authenticated RelayActivate, freed with the session.
/// </summary>
public sealed class RelayAllocation(ushort channel, SessionId sessionId, string network, RelaySide requester, RelaySide target, DateTimeOffset createdAt, long burstBytes, long nowTimestamp)
{
    private volatile RelayState _state = RelayState.Reserved;

    public ushort Channel { get; } = channel;
    public SessionId SessionId { get; } = sessionId;
    public string Network { get; } = network;
    public RelaySide Requester { get; } = requester;
    public RelaySide Target { get; } = target;
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>The public address the session's connect came from: <see cref="Rendezvous.RendezvousOptions.MaxRelayAllocationsPerAddress"/> counts against it.</summary>
    public System.Net.IPAddress RequesterAddress { get; init; } = System.Net.IPAddress.None;

    public RelayState State { get => _state; set => _state = value; }

    /// <summary>When forwarding stops because a direct path is up (after <see cref="RelayOptions.DirectGrace"/>); null when none is due.</summary>
    public DateTimeOffset? ReleaseAt { get; set; }

    /// <summary>Why forwarding last stopped (shown on the relay page); null while it never did.</summary>
    public string? StopReason { get; set; }

    /// <summary>
    /// Guards <see cref="Tokens"/> and <see cref="LastRefill"/>: the two sides of a session may reach different
    /// receive threads (SO_REUSEPORT hashes each source to its own socket). Uncontended it costs ~20 ns a frame.
    /// </summary>
    public Lock BucketGate { get; } = new();

    /// <summary>Token bucket of bytes (RFC 8656 §7 leaves the policy to the server), under <see cref="BucketGate"/>.</summary>
    public double Tokens = burstBytes;
    public long LastRefill = nowTimestamp;

    /// <summary>Last forwarded frame or activation, as a <see cref="TimeProvider"/> timestamp; written by the receive thread, read by the tick.</summary>
    public long LastActivity = nowTimestamp;

    /// <summary>Frames dropped because the other side had not activated yet, or forwarding was released.</summary>
    public long PacketsDropped;

    public long BytesForwarded => Volatile.Read(ref Requester.BytesForwarded) + Volatile.Read(ref Target.BytesForwarded);

    public RelaySide? SideOf(string usernameFragment) =>
        Requester.UsernameFragment == usernameFragment ? Requester : Target.UsernameFragment == usernameFragment ? Target : null;

    public RelaySide OtherSide(RelaySide side) => side == Requester ? Target : Requester;
}
