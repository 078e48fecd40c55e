using System.Buffers.Binary;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

/// <summary>A wire message's <c>WriteTo</c>: writes it into the span and returns its length.</summary>
public delegate int MessageWriter(Span<byte> destination);

/// <summary>
/// STUN over a byte stream (RFC 8489 §6.2.2: messages back to back, no extra framing; each one's
/// length is in its header). Works on any <see cref="Stream"/>, so the server's and the peer's TCP
/// connections share it and tests can drive it from memory.
/// </summary>
public static class StunStream
{
    /// <summary>Expose messages are small (at most a few hundred bytes); anything longer is not ours.</summary>
    public const int MaxMessageLength = StunConstants.MaxMessageLength;

    /// <summary>
    /// The whole length of the message whose 20-byte header is <paramref name="header"/>, or -1 when
    /// the bytes are not a STUN header (top bits, magic cookie, 4-byte-aligned length) or the message
    /// would be longer than <paramref name="maxLength"/>. Never throws.
    /// </summary>
    public static int MessageLength(ReadOnlySpan<byte> header, int maxLength = MaxMessageLength)
    {
        if (!StunMessage.LooksLikeStun(header))
        {
            return -1;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        int total = StunConstants.HeaderLength + bodyLength;
        return (bodyLength & 3) != 0 || total > maxLength ? -1 : total;
    }

    /// <summary>
    /// Reads one message into <paramref name="buffer"/> (at least <see cref="MaxMessageLength"/> bytes)
    /// and returns its length; 0 when the stream ended cleanly before a message began.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a STUN message, or the stream ended inside one.</exception>
    public static async ValueTask<int> ReadMessageAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int headerRead = await stream.ReadAtLeastAsync(buffer[..StunConstants.HeaderLength], StunConstants.HeaderLength, throwOnEndOfStream: false, cancellationToken);
        if (headerRead == 0)
        {
            return 0;
        }

        if (headerRead < StunConstants.HeaderLength)
        {
            throw new InvalidDataException("the connection ended inside a STUN header");
        }

        int total = MessageLength(buffer.Span[..StunConstants.HeaderLength], Math.Min(buffer.Length, MaxMessageLength));
        if (total < 0)
        {
            throw new InvalidDataException("the bytes are not a STUN message of at most " + MaxMessageLength + " bytes");
        }

        int body = total - StunConstants.HeaderLength;
        if (body > 0 && await stream.ReadAtLeastAsync(buffer[StunConstants.HeaderLength..total], body, throwOnEndOfStream: false, cancellationToken) < body)
        {
            throw new InvalidDataException("the connection ended inside a STUN message");
        }

        return total;
    }

    /// <summary>Writes one message (at most <see cref="MaxMessageLength"/> bytes) to the stream.</summary>
    public static async ValueTask WriteMessageAsync(Stream stream, MessageWriter write, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxMessageLength];
        int length = write(buffer);
        await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
