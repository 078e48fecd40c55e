namespace Punch.Core.Streams;

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
