using System.Buffers.Binary;

namespace Punch.Core.Protocol;

/// <summary>
/// The ADDRESS-COOKIE attribute: a stateless proof that whoever sends from an address and port also
/// receives what the server sends there (return routability, as QUIC's Retry token, RFC 9000 §8.1.2,
/// and DTLS's HelloVerifyRequest cookie, RFC 6347 §4.2.1). The server mints it for the exact source of
/// a request and a peer echoes it unchanged; to a peer it is opaque. On the wire: when it was issued
/// (4 bytes, Unix seconds) and a 16-byte MAC over that time and the address and port it was issued to.
/// </summary>
public readonly record struct AddressCookie(uint IssuedAt, UInt128 Tag)
{
    public const int Length = 20;

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, IssuedAt);
        BinaryPrimitives.WriteUInt128BigEndian(destination[4..], Tag);
    }

    public static bool TryRead(ReadOnlySpan<byte> value, out AddressCookie cookie)
    {
        if (value.Length != Length)
        {
            cookie = default;
            return false;
        }

        cookie = new AddressCookie(BinaryPrimitives.ReadUInt32BigEndian(value), BinaryPrimitives.ReadUInt128BigEndian(value[4..]));
        return true;
    }
}
