using System.Buffers.Binary;

namespace Punch.Core.Streams;

/// <summary>
/// The header of a protected packet: channel(2) length(2) type=0x11 packet-number(8), followed by
/// the AEAD ciphertext of the frames and its 16-byte tag. The whole header is the AEAD's associated
/// data, and the packet number (never reused in one direction) makes its nonce.
/// </summary>
public readonly record struct ProtectedHeader(ushort Channel, ulong PacketNumber, int SealedLength)
{
    public const int Length = StreamPackets.ChannelHeaderLength + 1 + 8;
    public const int TagLength = 16;

    public int WriteTo(Span<byte> destination)
    {
        StreamPackets.WriteChannelHeader(destination, Channel, Length - StreamPackets.ChannelHeaderLength + SealedLength);
        destination[4] = (byte)StreamPacketType.Protected;
        BinaryPrimitives.WriteUInt64BigEndian(destination[5..], PacketNumber);
        return Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ProtectedHeader header)
    {
        header = default;
        if (!StreamPackets.TryReadChannelHeader(datagram, out ushort channel, out int payloadLength)
            || payloadLength < Length - StreamPackets.ChannelHeaderLength + TagLength || datagram[4] != (byte)StreamPacketType.Protected)
        {
            return false;
        }

        header = new ProtectedHeader(channel, BinaryPrimitives.ReadUInt64BigEndian(datagram[5..]), payloadLength - (Length - StreamPackets.ChannelHeaderLength));
        return true;
    }
}
