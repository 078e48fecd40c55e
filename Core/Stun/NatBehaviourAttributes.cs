using System.Buffers.Binary;

namespace Punch.Core.Stun;

/// <summary>
/// Attribute types of RFC 5780 (NAT behaviour discovery) and the RFC 3489 ones a classic client
/// still sends and expects. Kept apart from <see cref="StunAttributeType"/> because only Binding uses them.
/// </summary>
public static class NatBehaviourAttributeType
{
    /// <summary>RFC 5780 §7.2 (was RFC 3489 §11.2.4): flags asking the server to answer from its other address and/or port.</summary>
    public const ushort ChangeRequest = 0x0003;
    /// <summary>RFC 3489 §11.2.3: where the response came from (RESPONSE-ORIGIN's predecessor); only sent to RFC 3489 clients.</summary>
    public const ushort SourceAddress = 0x0004;
    /// <summary>RFC 3489 §11.2.3: the server's other address (OTHER-ADDRESS's predecessor); only sent to RFC 3489 clients.</summary>
    public const ushort ChangedAddress = 0x0005;
    /// <summary>RFC 5780 §7.6.</summary>
    public const ushort Padding = 0x0026;
    /// <summary>RFC 5780 §7.5: the port the response should go to (same IP as the request came from).</summary>
    public const ushort ResponsePort = 0x0027;
    /// <summary>RFC 5780 §7.3: the address and port the response was sent from.</summary>
    public const ushort ResponseOrigin = 0x802B;
    /// <summary>RFC 5780 §7.4: the server's alternate address and port (the one CHANGE-REQUEST switches to).</summary>
    public const ushort OtherAddress = 0x802C;
}

/// <summary>The CHANGE-REQUEST value of RFC 5780 §7.2: 32 bits, "change IP" is 0x4 and "change port" is 0x2.</summary>
public readonly record struct ChangeRequest(bool ChangeAddress, bool ChangePort)
{
    public const int ValueLength = 4;
    private const uint ChangeAddressFlag = 0x4;
    private const uint ChangePortFlag = 0x2;

    public bool AsksForChange => ChangeAddress || ChangePort;

    public void WriteTo(Span<byte> value) =>
        BinaryPrimitives.WriteUInt32BigEndian(value, (ChangeAddress ? ChangeAddressFlag : 0) | (ChangePort ? ChangePortFlag : 0));

    /// <summary>Other bits are reserved and ignored (RFC 5780 §7.2 says "MUST be ignored"); a wrong length is malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, out ChangeRequest request)
    {
        request = default;
        if (value.Length != ValueLength)
        {
            return false;
        }

        uint flags = BinaryPrimitives.ReadUInt32BigEndian(value);
        request = new ChangeRequest((flags & ChangeAddressFlag) != 0, (flags & ChangePortFlag) != 0);
        return true;
    }

    public override string ToString() => (ChangeAddress, ChangePort) switch
    {
        (true, true) => "change address and port",
        (true, false) => "change address",
        (false, true) => "change port",
        _ => "no change",
    };
}

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
