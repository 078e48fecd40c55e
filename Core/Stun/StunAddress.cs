using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Punch.Core.Stun;

/// <summary>
/// The (XOR-)MAPPED-ADDRESS value layout of RFC 8489 §14.1/§14.2: a zero byte, a family byte
/// (1 = IPv4, 2 = IPv6), the port and the address, XORed with the magic cookie (and, for IPv6, the
/// transaction id) so that NATs that rewrite addresses in payloads leave it alone.
/// </summary>
public static class StunAddress
{
    public const int IPv4ValueLength = 8;
    public const int IPv6ValueLength = 20;

    /// <summary>The value length <see cref="WriteXor"/> and <see cref="WritePlain"/> produce; an IPv4-mapped IPv6
    /// address (what a dual-mode socket reports for an IPv4 sender) is written as IPv4.</summary>
    public static int ValueLength(IPEndPoint endPoint) =>
        WireAddress(endPoint).AddressFamily == AddressFamily.InterNetworkV6 ? IPv6ValueLength : IPv4ValueLength;

    public static int WriteXor(Span<byte> destination, IPEndPoint endPoint, TransactionId transactionId)
        => Write(destination, endPoint, transactionId, xor: true);

    public static int WritePlain(Span<byte> destination, IPEndPoint endPoint)
        => Write(destination, endPoint, default, xor: false);

    public static bool TryReadXor(ReadOnlySpan<byte> value, TransactionId transactionId, out IPEndPoint endPoint)
        => TryRead(value, transactionId, xor: true, out endPoint);

    public static bool TryReadPlain(ReadOnlySpan<byte> value, out IPEndPoint endPoint)
        => TryRead(value, default, xor: false, out endPoint);

    private static int Write(Span<byte> destination, IPEndPoint endPoint, TransactionId transactionId, bool xor)
    {
        var address = WireAddress(endPoint);
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        int length = v6 ? IPv6ValueLength : IPv4ValueLength;
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination too small for an address attribute.", nameof(destination));
        }

        destination[0] = 0;
        destination[1] = v6 ? (byte)2 : (byte)1;
        ushort port = (ushort)endPoint.Port;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], xor ? (ushort)(port ^ (StunConstants.MagicCookie >> 16)) : port);
        Span<byte> addressBytes = destination.Slice(4, length - 4);
        address.TryWriteBytes(addressBytes, out _);
        if (xor)
        {
            XorAddress(addressBytes, transactionId);
        }

        return length;
    }

    private static IPAddress WireAddress(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;

    private static bool TryRead(ReadOnlySpan<byte> value, TransactionId transactionId, bool xor, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (value.Length < 4)
        {
            return false;
        }

        int expected = value[1] switch { 1 => IPv4ValueLength, 2 => IPv6ValueLength, _ => -1 };
        if (expected < 0 || value.Length != expected)
        {
            return false;
        }

        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> addressBytes = stackalloc byte[expected - 4];
        value[4..expected].CopyTo(addressBytes);
        if (xor)
        {
            port ^= (ushort)(StunConstants.MagicCookie >> 16);
            XorAddress(addressBytes, transactionId);
        }

        endPoint = new IPEndPoint(new IPAddress(addressBytes), port);
        return true;
    }

    private static void XorAddress(Span<byte> addressBytes, TransactionId transactionId)
    {
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunConstants.MagicCookie);
        transactionId.WriteTo(mask[4..]);
        for (int i = 0; i < addressBytes.Length; i++)
        {
            addressBytes[i] ^= mask[i];
        }
    }
}
