using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace Punch.Core.Protocol;

/// <summary>A session's 64-bit id, random so that it cannot be guessed; shown as 16 hex digits.</summary>
public readonly record struct SessionId(ulong Value)
{
    public const int Length = 8;

    public static SessionId NewRandom() => new(BinaryPrimitives.ReadUInt64BigEndian(RandomNumberGenerator.GetBytes(Length)));

    public static bool TryParse(string? text, out SessionId id)
    {
        id = default;
        if (text is null || text.Length != 16 || !ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }

        id = new SessionId(value);
        return true;
    }

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}
