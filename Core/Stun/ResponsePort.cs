using System.Buffers.Binary;

namespace Punch.Core.Stun;

/// <summary>The RESPONSE-PORT value of RFC 5780 §7.5: a 16-bit port and 16 reserved bits.</summary>
public readonly record struct ResponsePort(ushort Port)
{
    public const int ValueLength = 4;

    public void WriteTo(Span<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(value, Port);
        BinaryPrimitives.WriteUInt16BigEndian(value[2..], 0);
    }

    /// <summary>Port 0 cannot receive anything, so it is malformed too.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out ResponsePort port)
    {
        port = default;
        if (value.Length != ValueLength)
        {
            return false;
        }

        ushort number = BinaryPrimitives.ReadUInt16BigEndian(value);
        port = new ResponsePort(number);
        return number != 0;
    }
}
