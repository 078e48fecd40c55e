using System.Buffers.Binary;
using System.Text;

namespace Punch.Core.Peering;

/// <summary>
/// The application data peers exchange over their path, framed like TURN ChannelData (RFC 8656
/// §12.4): a channel number in 0x4000-0x4FFF (first two bits 01, so it never looks like STUN,
/// whose first two bits are 00), a length, then the payload: type (1), sequence (4), timestamp
/// (8), UTF-8 text. No STUN header per datagram.
/// </summary>
public readonly record struct PeerFrame(ushort Channel, PeerFrameType Type, uint Sequence, long Timestamp, string Text)
{
    public const int HeaderLength = 4;
    public const int FixedPayloadLength = 13;
    public const int MaxTextBytes = 1024;
    public const ushort MinChannel = 0x4000;
    public const ushort MaxChannel = 0x4FFF;
    /// <summary>How many channels there are, so how many sessions a server can relay at once.</summary>
    public const int ChannelCount = MaxChannel - MinChannel + 1;

    public static ushort ChannelFor(ulong sessionId) => (ushort)(MinChannel | (ushort)(sessionId & 0x0FFF));

    public static bool LooksLikePeerFrame(ReadOnlySpan<byte> datagram) => datagram.Length >= HeaderLength && (datagram[0] & 0xC0) == 0x40;

    public int WriteTo(Span<byte> destination)
    {
        int textBytes = Encoding.UTF8.GetByteCount(Text);
        if (textBytes > MaxTextBytes)
        {
            throw new ArgumentException($"Frame text is {textBytes} bytes; the limit is {MaxTextBytes}.", nameof(destination));
        }

        int payload = FixedPayloadLength + textBytes;
        BinaryPrimitives.WriteUInt16BigEndian(destination, Channel);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payload);
        destination[4] = (byte)Type;
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], Sequence);
        BinaryPrimitives.WriteInt64BigEndian(destination[9..], Timestamp);
        Encoding.UTF8.GetBytes(Text, destination[(HeaderLength + FixedPayloadLength)..]);
        return HeaderLength + payload;
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out PeerFrame frame)
    {
        frame = default;
        if (!LooksLikePeerFrame(datagram))
        {
            return false;
        }

        ushort channel = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        // RFC 8656 §12.5: over UDP the datagram may carry padding after the declared length.
        if (channel > MaxChannel || length < FixedPayloadLength || length > FixedPayloadLength + MaxTextBytes || HeaderLength + length > datagram.Length)
        {
            return false;
        }

        byte type = datagram[4];
        if (type is < (byte)PeerFrameType.Ping or > (byte)PeerFrameType.Close)
        {
            return false;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(datagram.Slice(HeaderLength + FixedPayloadLength, length - FixedPayloadLength));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        frame = new PeerFrame(channel, (PeerFrameType)type, BinaryPrimitives.ReadUInt32BigEndian(datagram[5..]), BinaryPrimitives.ReadInt64BigEndian(datagram[9..]), text);
        return true;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
}
