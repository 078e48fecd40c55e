using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Server.Rendezvous;

namespace Punch.Server.Relay;

public enum RelayState
{
    /// <summary>The channel is the session's, nothing is forwarded: no side activated yet, or forwarding was released (direct path, idle, rate limit). Activation forwards again.</summary>
    Reserved,
    /// <summary>At least one side activated; frames between activated sides are forwarded.</summary>
    Forwarding,
    /// <summary>The session used up <see cref="RelayOptions.MaxBytes"/>: forwarding stopped for good, activation is refused (486).</summary>
    Exhausted,
}

/// <summary>
/// One side of a relayed session: whose credentials may bind it, and where its frames come from and go to.
/// The endpoint fields are replaced whole (never mutated), so a reader on another thread sees either the
/// old binding or the new one. Traffic counters have a single writer: the receive thread whose socket this side's source hashes to.
/// </summary>
public sealed class RelaySide(string peer, string usernameFragment, byte[] passwordKey)
{
    public string Peer { get; } = peer;
    public string UsernameFragment { get; } = usernameFragment;
    /// <summary>The HMAC key of the side's session password (RFC 8489 §9.1.1 short-term credential).</summary>
    public byte[] PasswordKey { get; } = passwordKey;

    public IPEndPoint? EndPoint { get; private set; }
    /// <summary>Where frames to this side are sent, in the socket's address family (no serialization per datagram).</summary>
    public SocketAddress? SendAddress { get; private set; }
    /// <summary>The endpoint as the source-address comparison sees it: the address in its IPv4-mapped IPv6 form, and the port.</summary>
    public UInt128 AddressKey { get; private set; }
    public int Port { get; private set; }
    public DateTimeOffset? ActivatedAt { get; private set; }

    /// <summary>Frames from this side that the relay forwarded to the other.</summary>
    public long PacketsForwarded;
    public long BytesForwarded;

    /// <summary>The side activated the relay itself (a presumed address does not count).</summary>
    public bool IsActive => ActivatedAt is not null;

    public void Bind(IPEndPoint endPoint, AddressFamily socketFamily, DateTimeOffset now)
    {
        ActivatedAt = now;
        SetAddress(endPoint, socketFamily);
    }

    /// <summary>
    /// Until a side activates, its frames are expected from (and the other side's frames go to) the
    /// public endpoint it registered from, the one the server introduced: both sides activate at
    /// once, and without this the first frames of the quicker one were dropped while the other
    /// side's activation was still on its way. No new address is trusted: the server itself
    /// introduced this one to the other peer.
    /// </summary>
    public void Presume(IPEndPoint endPoint, AddressFamily socketFamily) => SetAddress(endPoint, socketFamily);

    private void SetAddress(IPEndPoint endPoint, AddressFamily socketFamily)
    {
        var sendTo = socketFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port)
            : endPoint;
        AddressKey = SourceRateLimiter.KeyOf(endPoint.Address);
        Port = endPoint.Port;
        EndPoint = endPoint;
        // Last: the forwarding thread treats a non-null address as "bound".
        SendAddress = sendTo.Serialize();
    }

    /// <summary>Whether a datagram's source is this side's bound endpoint. Reads the sockaddr in place: no allocation.</summary>
    public bool IsSource(SocketAddress from) =>
        SendAddress is not null && BinaryPrimitives.ReadUInt16BigEndian(from.Buffer.Span[2..]) == Port && SourceRateLimiter.KeyOf(from) == AddressKey;
}

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
