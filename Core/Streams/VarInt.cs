using System.Buffers.Binary;

namespace Punch.Core.Streams;

/// <summary>
/// QUIC's variable-length integer (RFC 9000 §16): the two high bits of the first byte give the length
/// (1, 2, 4 or 8 bytes), the rest is the value, big-endian, up to 2^62-1. Small numbers (stream ids,
/// lengths, most offsets early on) cost one or two bytes.
/// </summary>
public static class VarInt
{
    public const ulong Max = (1UL << 62) - 1;

    public static int Length(ulong value) => value switch
    {
        < 1UL << 6 => 1,
        < 1UL << 14 => 2,
        < 1UL << 30 => 4,
        <= Max => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "A variable-length integer holds at most 2^62-1."),
    };

    public static int Write(Span<byte> destination, ulong value)
    {
        int length = Length(value);
        switch (length)
        {
            case 1:
                destination[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(value | 0x4000));
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)value | 0x8000_0000);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(destination, value | 0xC000_0000_0000_0000);
                break;
        }

        return length;
    }

    /// <summary>Reads one value; false (never an exception) when <paramref name="source"/> is too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        if (source.IsEmpty)
        {
            return false;
        }

        int length = 1 << (source[0] >> 6);
        if (source.Length < length)
        {
            return false;
        }

        value = length switch
        {
            1 => (ulong)(source[0] & 0x3F),
            2 => BinaryPrimitives.ReadUInt16BigEndian(source) & 0x3FFFUL,
            4 => BinaryPrimitives.ReadUInt32BigEndian(source) & 0x3FFF_FFFFUL,
            _ => BinaryPrimitives.ReadUInt64BigEndian(source) & Max,
        };
        consumed = length;
        return true;
    }

    /// <summary>Reads a value at <paramref name="position"/> and moves past it.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> source, ref int position, out ulong value)
    {
        if (!TryRead(source[position..], out value, out int consumed))
        {
            return false;
        }

        position += consumed;
        return true;
    }
}
