namespace Punch.Core.Streams;

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
