using System.Text;

namespace Punch.Core.Streams;

/// <summary>Frame type bytes inside a protected packet (values follow QUIC's where the meaning is the same, RFC 9000 §19).</summary>
public enum StreamFrameType : byte
{
    Ping = 0x01,
    Ack = 0x02,
    ResetStream = 0x04,
    StopSending = 0x05,
    /// <summary>0x08 without FIN, 0x09 with FIN.</summary>
    Stream = 0x08,
    StreamFin = 0x09,
    MaxData = 0x10,
    MaxStreamData = 0x11,
    MaxStreams = 0x12,
    Close = 0x1c,
}

/// <summary>Why a stream or the connection ended. Transport codes follow RFC 9000 §20.1; 0x100 and up are Punch's.</summary>
public enum StreamErrorCode : ulong
{
    NoError = 0x0,
    InternalError = 0x1,
    FlowControl = 0x3,
    StreamLimit = 0x4,
    StreamState = 0x5,
    FinalSize = 0x6,
    FrameEncoding = 0x7,
    ProtocolViolation = 0xa,
    /// <summary>The handshake failed: no key agreement, or the peer's packets do not authenticate.</summary>
    Handshake = 0x100,
    /// <summary>No packet from the peer for the idle timeout.</summary>
    IdleTimeout = 0x101,
    /// <summary>The local service refused the connection the stream stands for.</summary>
    Refused = 0x200,
    /// <summary>The application's side of the stream broke (a TCP reset, an error).</summary>
    Aborted = 0x201,
    /// <summary>The application is shutting down.</summary>
    Cancelled = 0x202,
}

/// <summary>Keep-alive and ack-eliciting filler; no body.</summary>
public readonly record struct PingFrame
{
    public const int Length = 1;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.Ping;
        return Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PingFrame frame, out int consumed)
    {
        frame = default;
        consumed = source.Length > 0 && source[0] == (byte)StreamFrameType.Ping ? Length : 0;
        return consumed == Length;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out PingFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>Data of one stream at <see cref="Offset"/>; <see cref="Fin"/> marks the stream's last byte (RFC 9000 §19.8, always with offset and length).</summary>
public readonly record struct StreamFrame(ulong StreamId, ulong Offset, ReadOnlyMemory<byte> Data, bool Fin)
{
    public int EncodedLength => HeaderLength(StreamId, Offset, Data.Length) + Data.Length;

    public static int HeaderLength(ulong streamId, ulong offset, int dataLength) =>
        1 + VarInt.Length(streamId) + VarInt.Length(offset) + VarInt.Length((ulong)dataLength);

    public int WriteTo(Span<byte> destination)
    {
        int position = WriteHeader(destination, StreamId, Offset, Data.Length, Fin);
        Data.Span.CopyTo(destination[position..]);
        return position + Data.Length;
    }

    /// <summary>Everything before the data; the sender copies the data after it straight from its buffer.</summary>
    public static int WriteHeader(Span<byte> destination, ulong streamId, ulong offset, int dataLength, bool fin)
    {
        destination[0] = (byte)(fin ? StreamFrameType.StreamFin : StreamFrameType.Stream);
        int position = 1;
        position += VarInt.Write(destination[position..], streamId);
        position += VarInt.Write(destination[position..], offset);
        return position + VarInt.Write(destination[position..], (ulong)dataLength);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StreamFrame frame, out int consumed)
    {
        frame = default;
        if (!TryReadInPlace(source, out var header, out consumed))
        {
            return false;
        }

        frame = new StreamFrame(header.StreamId, header.Offset, source.Slice(header.DataStart, header.DataLength).ToArray(), header.Fin);
        return true;
    }

    /// <summary>Reads the frame without copying its data, which stays at <see cref="StreamFrameHeader.DataStart"/> in <paramref name="source"/>.</summary>
    public static bool TryReadInPlace(ReadOnlySpan<byte> source, out StreamFrameHeader header, out int consumed)
    {
        header = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || (source[0] | 1) != (byte)StreamFrameType.StreamFin
            || !VarInt.TryRead(source, ref position, out ulong id) || !VarInt.TryRead(source, ref position, out ulong offset)
            || !VarInt.TryRead(source, ref position, out ulong length) || length > (ulong)(source.Length - position) || offset + length > VarInt.Max)
        {
            return false;
        }

        header = new StreamFrameHeader(id, offset, position, (int)length, source[0] == (byte)StreamFrameType.StreamFin);
        consumed = position + (int)length;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StreamFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>A STREAM frame's fields, its data left where it is: <see cref="DataLength"/> bytes from <see cref="DataStart"/>.</summary>
public readonly record struct StreamFrameHeader(ulong StreamId, ulong Offset, int DataStart, int DataLength, bool Fin);

/// <summary>
/// Acknowledged packet numbers (RFC 9000 §19.3): <see cref="Ranges"/> highest first, disjoint, each
/// [Start, End). On the wire: largest, delay in microseconds, count of further ranges, the first range's
/// length minus one, then (gap, length) pairs counted down from the previous range.
/// </summary>
public readonly record struct AckFrame(ulong DelayMicroseconds, IReadOnlyList<ValueRange> Ranges)
{
    /// <summary>More ranges than this are not sent (the oldest are left out) and not accepted.</summary>
    public const int MaxRanges = 32;

    public ulong Largest => Ranges[0].End - 1;

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.Ack;
        int position = 1;
        position += VarInt.Write(destination[position..], Largest);
        position += VarInt.Write(destination[position..], DelayMicroseconds);
        position += VarInt.Write(destination[position..], (ulong)(Ranges.Count - 1));
        position += VarInt.Write(destination[position..], Ranges[0].Length - 1);
        for (int i = 1; i < Ranges.Count; i++)
        {
            position += VarInt.Write(destination[position..], Ranges[i - 1].Start - Ranges[i].End - 1);
            position += VarInt.Write(destination[position..], Ranges[i].Length - 1);
        }

        return position;
    }

    public int EncodedLength
    {
        get
        {
            int length = 1 + VarInt.Length(Largest) + VarInt.Length(DelayMicroseconds) + VarInt.Length((ulong)(Ranges.Count - 1)) + VarInt.Length(Ranges[0].Length - 1);
            for (int i = 1; i < Ranges.Count; i++)
            {
                length += VarInt.Length(Ranges[i - 1].Start - Ranges[i].End - 1) + VarInt.Length(Ranges[i].Length - 1);
            }

            return length;
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out AckFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.Ack
            || !VarInt.TryRead(source, ref position, out ulong largest) || !VarInt.TryRead(source, ref position, out ulong delay)
            || !VarInt.TryRead(source, ref position, out ulong more) || more >= MaxRanges
            || !VarInt.TryRead(source, ref position, out ulong firstLength) || firstLength > largest)
        {
            return false;
        }

        var ranges = new ValueRange[(int)more + 1];
        ranges[0] = new ValueRange(largest - firstLength, largest + 1);
        for (int i = 1; i < ranges.Length; i++)
        {
            ulong previousStart = ranges[i - 1].Start;
            if (!VarInt.TryRead(source, ref position, out ulong gap) || !VarInt.TryRead(source, ref position, out ulong length)
                || gap + 2 > previousStart || length > previousStart - gap - 2)
            {
                return false;
            }

            ulong end = previousStart - gap - 1;
            ranges[i] = new ValueRange(end - length - 1, end);
        }

        frame = new AckFrame(delay, ranges);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out AckFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>The sender abandons its side of a stream at <see cref="FinalSize"/> bytes (RFC 9000 §19.4), saying why.</summary>
public readonly record struct ResetStreamFrame(ulong StreamId, StreamErrorCode Code, ulong FinalSize, string Reason)
{
    public int EncodedLength => 1 + VarInt.Length(StreamId) + VarInt.Length((ulong)Code) + VarInt.Length(FinalSize) + ReasonText.EncodedLength(Reason);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.ResetStream;
        int position = 1;
        position += VarInt.Write(destination[position..], StreamId);
        position += VarInt.Write(destination[position..], (ulong)Code);
        position += VarInt.Write(destination[position..], FinalSize);
        return position + ReasonText.Write(destination[position..], Reason);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out ResetStreamFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.ResetStream
            || !VarInt.TryRead(source, ref position, out ulong id) || !VarInt.TryRead(source, ref position, out ulong code)
            || !VarInt.TryRead(source, ref position, out ulong finalSize) || !ReasonText.TryRead(source, ref position, out string reason))
        {
            return false;
        }

        frame = new ResetStreamFrame(id, (StreamErrorCode)code, finalSize, reason);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out ResetStreamFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>The receiver wants no more of a stream (RFC 9000 §19.5); the sender answers with a reset.</summary>
public readonly record struct StopSendingFrame(ulong StreamId, StreamErrorCode Code)
{
    public int EncodedLength => 1 + VarInt.Length(StreamId) + VarInt.Length((ulong)Code);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.StopSending;
        int position = 1 + VarInt.Write(destination[1..], StreamId);
        return position + VarInt.Write(destination[position..], (ulong)Code);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StopSendingFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.StopSending
            || !VarInt.TryRead(source, ref position, out ulong id) || !VarInt.TryRead(source, ref position, out ulong code))
        {
            return false;
        }

        frame = new StopSendingFrame(id, (StreamErrorCode)code);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out StopSendingFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>
/// A flow-control credit (RFC 9000 §19.9-19.11): <see cref="StreamFrameType.MaxData"/> for the whole
/// connection, <see cref="StreamFrameType.MaxStreamData"/> for one stream (<see cref="StreamId"/>),
/// <see cref="StreamFrameType.MaxStreams"/> for how many streams the peer may open in all. Limits only grow.
/// </summary>
public readonly record struct CreditFrame(StreamFrameType Type, ulong StreamId, ulong Maximum)
{
    public static CreditFrame MaxData(ulong maximum) => new(StreamFrameType.MaxData, 0, maximum);
    public static CreditFrame MaxStreamData(ulong streamId, ulong maximum) => new(StreamFrameType.MaxStreamData, streamId, maximum);
    public static CreditFrame MaxStreams(ulong maximum) => new(StreamFrameType.MaxStreams, 0, maximum);

    public int EncodedLength => 1 + (Type == StreamFrameType.MaxStreamData ? VarInt.Length(StreamId) : 0) + VarInt.Length(Maximum);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)Type;
        int position = 1;
        if (Type == StreamFrameType.MaxStreamData)
        {
            position += VarInt.Write(destination[position..], StreamId);
        }

        return position + VarInt.Write(destination[position..], Maximum);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CreditFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        if (source.IsEmpty || source[0] is not ((byte)StreamFrameType.MaxData or (byte)StreamFrameType.MaxStreamData or (byte)StreamFrameType.MaxStreams))
        {
            return false;
        }

        var type = (StreamFrameType)source[0];
        int position = 1;
        ulong id = 0;
        if ((type == StreamFrameType.MaxStreamData && !VarInt.TryRead(source, ref position, out id)) || !VarInt.TryRead(source, ref position, out ulong maximum))
        {
            return false;
        }

        frame = new CreditFrame(type, id, maximum);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CreditFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>The connection ends (RFC 9000 §19.19); no answer but a close of our own.</summary>
public readonly record struct CloseFrame(StreamErrorCode Code, string Reason)
{
    public int EncodedLength => 1 + VarInt.Length((ulong)Code) + ReasonText.EncodedLength(Reason);

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)StreamFrameType.Close;
        int position = 1 + VarInt.Write(destination[1..], (ulong)Code);
        return position + ReasonText.Write(destination[position..], Reason);
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CloseFrame frame, out int consumed)
    {
        frame = default;
        consumed = 0;
        int position = 1;
        if (source.IsEmpty || source[0] != (byte)StreamFrameType.Close
            || !VarInt.TryRead(source, ref position, out ulong code) || !ReasonText.TryRead(source, ref position, out string reason))
        {
            return false;
        }

        frame = new CloseFrame((StreamErrorCode)code, reason);
        consumed = position;
        return true;
    }

    public static bool TryRead(ReadOnlySpan<byte> source, out CloseFrame frame) => TryRead(source, out frame, out _);
}

/// <summary>A reason phrase: a length (one byte) and strict UTF-8, at most <see cref="MaxBytes"/>; longer text is cut at a character boundary when written.</summary>
public static class ReasonText
{
    public const int MaxBytes = 200;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static int EncodedLength(string reason) => 1 + Fit(reason).Length;

    public static int Write(Span<byte> destination, string reason)
    {
        byte[] bytes = Fit(reason);
        destination[0] = (byte)bytes.Length;
        bytes.CopyTo(destination[1..]);
        return 1 + bytes.Length;
    }

    internal static bool TryRead(ReadOnlySpan<byte> source, ref int position, out string reason)
    {
        reason = string.Empty;
        if (position >= source.Length || source[position] > MaxBytes || position + 1 + source[position] > source.Length)
        {
            return false;
        }

        try
        {
            reason = StrictUtf8.GetString(source.Slice(position + 1, source[position]));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        position += 1 + source[position];
        return true;
    }

    private static byte[] Fit(string reason)
    {
        string text = reason;
        while (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            text = text[..^(char.IsLowSurrogate(text[^1]) && text.Length > 1 ? 2 : 1)];
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
