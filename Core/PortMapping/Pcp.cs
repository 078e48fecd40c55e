using System.Net;

namespace Punch.Core.PortMapping;

/// <summary>
/// PCP (RFC 6887): NAT-PMP's successor on the same UDP port 5351, version 2, with 128-bit addresses
/// (IPv4 as IPv4-mapped IPv6, §5) and a 96-bit nonce that ties a response to its MAP request (§11.1).
/// </summary>
public static class Pcp
{
    public const byte Version = 2;
    public const byte MapOpcode = 1;
    public const byte ResponseBit = 0x80;

    /// <summary>§7: the common header of requests and responses.</summary>
    public const int HeaderLength = 24;

    /// <summary>§11.1: the MAP opcode's data, after the header.</summary>
    public const int MapDataLength = 36;

    /// <summary>§7: no PCP message is longer, and every one is a multiple of 4 bytes.</summary>
    public const int MaxMessageLength = 1100;

    /// <summary>An address in a PCP field: IPv4 as ::ffff:a.b.c.d (RFC 6887 §5).</summary>
    internal static void WriteAddress(Span<byte> destination, IPAddress address) =>
        (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.MapToIPv6() : address).TryWriteBytes(destination[..16], out _);

    /// <summary>The address of a PCP field, back in its own family (an IPv4-mapped one as IPv4).</summary>
    internal static IPAddress ReadAddress(ReadOnlySpan<byte> source)
    {
        var address = new IPAddress(source[..16]);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>§7: at least the fixed part, at most 1100 bytes, a multiple of 4.</summary>
    internal static bool HasValidLength(int length, int fixedLength) => length >= fixedLength && length <= MaxMessageLength && length % 4 == 0;
}
