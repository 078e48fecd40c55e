using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Relay;

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
        AddressKey = Udp.AddressKey.Of(endPoint.Address);
        Port = endPoint.Port;
        EndPoint = endPoint;
        // Last: the forwarding thread treats a non-null address as "bound".
        SendAddress = sendTo.Serialize();
    }

    /// <summary>Whether a datagram's source is this side's bound endpoint. Reads the sockaddr in place: no allocation.</summary>
    public bool IsSource(SocketAddress from) =>
        SendAddress is not null && BinaryPrimitives.ReadUInt16BigEndian(from.Buffer.Span[2..]) == Port && Udp.AddressKey.Of(from) == AddressKey;
}
