using System.Buffers.Binary;

namespace Punch.Core.Stun;

/// <summary>The UNKNOWN-ATTRIBUTES value of RFC 8489 §14.9: a list of 16-bit attribute types.</summary>
public static class UnknownAttributesValue
{
    /// <summary>Bounds what one error response lists (and what a reader allocates).</summary>
    public const int MaxTypes = 16;

    public static int Length(int count) => 2 * count;

    public static void WriteTo(Span<byte> value, ReadOnlySpan<ushort> types)
    {
        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(2 * i)..], types[i]);
        }
    }

    public static bool TryRead(ReadOnlySpan<byte> value, out ushort[] types)
    {
        types = [];
        if ((value.Length & 1) != 0 || value.Length / 2 > MaxTypes)
        {
            return false;
        }

        types = new ushort[value.Length / 2];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = BinaryPrimitives.ReadUInt16BigEndian(value[(2 * i)..]);
        }

        return true;
    }
}
