using System.Buffers.Binary;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

/// <summary>The attributes only the expose messages use.</summary>
internal static class ExposeWire
{
    public const int TokenLength = 16;

    public static bool TryGetPort(this StunMessage message, out ushort port)
    {
        port = 0;
        if (!message.TryGetUInt32(ExposeAttributeType.PublicPort, out uint value) || value is 0 or > ushort.MaxValue)
        {
            return false;
        }

        port = (ushort)value;
        return true;
    }

    public static bool TryGetConnectionId(this StunMessage message, out ulong id)
    {
        id = 0;
        if (!message.TryGetAttribute(ExposeAttributeType.ConnectionId, out var raw) || raw.Length != sizeof(ulong))
        {
            return false;
        }

        id = BinaryPrimitives.ReadUInt64BigEndian(raw);
        return true;
    }

    public static void AddToken(ref this StunWriter writer, UInt128 token) => writer.AddSecret(ExposeAttributeType.AttachToken, token);

    public static bool TryGetToken(this StunMessage message, out UInt128 token) => message.TryGetSecret(ExposeAttributeType.AttachToken, out token);

    /// <summary>A 128-bit secret (ATTACH-TOKEN, SERVICE-SECRET): 16 bytes, big-endian.</summary>
    public static void AddSecret(ref this StunWriter writer, ushort type, UInt128 secret)
    {
        Span<byte> bytes = stackalloc byte[TokenLength];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, secret);
        writer.Add(type, bytes);
    }

    public static bool TryGetSecret(this StunMessage message, ushort type, out UInt128 secret)
    {
        secret = default;
        if (!message.TryGetAttribute(type, out var raw) || raw.Length != TokenLength)
        {
            return false;
        }

        secret = BinaryPrimitives.ReadUInt128BigEndian(raw);
        return true;
    }

    /// <summary>Absent is fine (null); present must be exactly 16 bytes, or the message is refused.</summary>
    public static bool TryGetOptionalSecret(this StunMessage message, ushort type, out UInt128? secret)
    {
        secret = null;
        if (!message.TryGetAttribute(type, out _))
        {
            return true;
        }

        if (!message.TryGetSecret(type, out var value))
        {
            return false;
        }

        secret = value;
        return true;
    }
}
