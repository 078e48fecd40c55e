using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Rendezvous;

/// <summary>
/// What the per-address caps count as one address: an IPv4 address, or an IPv6 /64. One IPv6 host is
/// usually given a whole /64 (RFC 6177), so capping per /128 would let it prove thousands of addresses
/// and take every slot; the HTTP limits count IPv6 clients per /64 for the same reason.
/// </summary>
public static class AddressBlock
{
    public static IPAddress Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes);
    }
}
