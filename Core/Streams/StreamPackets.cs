using System.Buffers.Binary;
using Punch.Core.Peering;

namespace Punch.Core.Streams;

/// <summary>The payload type byte after the channel header; outside <see cref="PeerFrameType"/>'s 1..5 so both kinds share a session's channel.</summary>
public enum StreamPacketType : byte
{
    /// <summary>Unprotected: the sender's ephemeral ECDH public key.</summary>
    Hello = 0x10,
    /// <summary>AEAD-sealed frames under the keys the hellos agreed.</summary>
    Protected = 0x11,
}

/// <summary>Which end of the connection: the opener (<c>punch forward</c>) or the acceptor (<c>punch expose</c>). It orders the keys and the stream ids.</summary>
public enum StreamRole : byte
{
    Opener = 1,
    Acceptor = 2,
}

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

/// <summary>
/// The first packet each side sends, and repeats until the peer's protected packets arrive:
/// channel(2) length(2) type=0x10 version(1) role(1) flags(1) public-key(65, uncompressed P-256 point).
/// Flag bit 0: the sender mixes a pre-shared secret into its keys (so a one-sided secret is reported as such).
/// </summary>
public readonly record struct HelloPacket(ushort Channel, StreamRole Role, bool UsesSecret, ReadOnlyMemory<byte> PublicKey)
{
    public const byte Version = 1;
    public const int PublicKeyLength = 65;
    public const int PayloadLength = 4 + PublicKeyLength;
    public const int Length = StreamPackets.ChannelHeaderLength + PayloadLength;

    public int WriteTo(Span<byte> destination)
    {
        StreamPackets.WriteChannelHeader(destination, Channel, PayloadLength);
        destination[4] = (byte)StreamPacketType.Hello;
        destination[5] = Version;
        destination[6] = (byte)Role;
        destination[7] = (byte)(UsesSecret ? 1 : 0);
        PublicKey.Span.CopyTo(destination[8..]);
        return Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out HelloPacket packet)
    {
        packet = default;
        if (!StreamPackets.TryReadChannelHeader(datagram, out ushort channel, out int payloadLength) || payloadLength != PayloadLength
            || datagram[4] != (byte)StreamPacketType.Hello || datagram[5] != Version
            || datagram[6] is not ((byte)StreamRole.Opener or (byte)StreamRole.Acceptor) || datagram[7] > 1
            || datagram[8] != 0x04) // SEC 1 §2.3.3: an uncompressed point starts with 0x04.
        {
            return false;
        }

        packet = new HelloPacket(channel, (StreamRole)datagram[6], datagram[7] == 1, datagram.Slice(8, PublicKeyLength).ToArray());
        return true;
    }
}

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
