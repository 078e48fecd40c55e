namespace Punch.Core.Streams;

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
