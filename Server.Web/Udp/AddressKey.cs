using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Udp;

/// <summary>
/// A source address as one 128-bit number (IPv4 as its IPv4-mapped IPv6 form, RFC 4291 §2.5.5.2), so
/// a datagram's source is compared and hashed without making an <see cref="IPAddress"/>.
/// </summary>
public static class AddressKey
{
    /// <summary>IPv4 addresses are keyed in their IPv4-mapped IPv6 form (::ffff:a.b.c.d), so a dual-stack socket counts a source once.</summary>
    private static readonly UInt128 MappedIPv4Prefix = (UInt128)0xFFFF << 32;

    /// <summary>The key of a source as the socket reported it, read straight from the sockaddr so no IPAddress is made for a datagram that is dropped.</summary>
    public static UInt128 Of(SocketAddress address)
    {
        // sockaddr_in: family(2) port(2) address(4); sockaddr_in6: family(2) port(2) flowinfo(4) address(16). Same offsets on Linux, Windows and BSD.
        var bytes = address.Buffer.Span;
        return address.Family == AddressFamily.InterNetwork
            ? MappedIPv4Prefix | BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(4, 4))
            : BinaryPrimitives.ReadUInt128BigEndian(bytes.Slice(8, 16));
    }

    public static UInt128 Of(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4
            ? MappedIPv4Prefix | BinaryPrimitives.ReadUInt32BigEndian(bytes[..4])
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
