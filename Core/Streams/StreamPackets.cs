using System.Buffers.Binary;
using Punch.Core.Peering;

namespace Punch.Core.Streams;

public static class StreamPackets
{
    public const int ChannelHeaderLength = PeerFrame.HeaderLength;

    /// <summary>Largest datagram we send: fits the 1280-byte IPv6 minimum MTU with room for IP/UDP headers and a relay's own framing.</summary>
    public const int MaxDatagram = 1200;

    public static bool LooksLikeStreamPacket(ReadOnlySpan<byte> datagram) =>
        PeerFrame.LooksLikePeerFrame(datagram) && datagram.Length > ChannelHeaderLength
        && datagram[ChannelHeaderLength] is (byte)StreamPacketType.Hello or (byte)StreamPacketType.Protected;

    internal static void WriteChannelHeader(Span<byte> destination, ushort channel, int payloadLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, channel);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
    }

    /// <summary>The channel and declared payload of a ChannelData datagram, or false when the header is not one or the datagram is short.</summary>
    internal static bool TryReadChannelHeader(ReadOnlySpan<byte> datagram, out ushort channel, out int payloadLength)
    {
        channel = 0;
        payloadLength = 0;
        if (!PeerFrame.LooksLikePeerFrame(datagram))
        {
            return false;
        }

        channel = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        payloadLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        // RFC 8656 §12.5: over UDP the datagram may carry padding after the declared length.
        return channel <= PeerFrame.MaxChannel && ChannelHeaderLength + payloadLength <= datagram.Length;
    }
}
