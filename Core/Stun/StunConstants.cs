namespace Punch.Core.Stun;

/// <summary>Numbers fixed by RFC 8489 (STUN) and the registries it defines.</summary>
public static class StunConstants
{
    /// <summary>RFC 8489 §5: the fixed value that tells STUN apart from other protocols on the port.</summary>
    public const uint MagicCookie = 0x2112A442;
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    /// <summary>RFC 8489 §14.5: HMAC-SHA1 output.</summary>
    public const int MessageIntegrityLength = 20;
    /// <summary>RFC 8489 §14.6: HMAC-SHA256 output. The RFC allows truncation to 16 bytes; Punch always sends and accepts the full 32.</summary>
    public const int MessageIntegritySha256Length = 32;
    /// <summary>RFC 8489 §14.7: CRC-32 of the message XOR 0x5354554e.</summary>
    public const uint FingerprintXor = 0x5354554E;
    /// <summary>Largest datagram we build or accept; RFC 8489 §6.1 wants messages to fit the path MTU (576 bytes is safe for IPv4 without fragmentation, we allow a bit more for candidate lists).</summary>
    public const int MaxMessageLength = 1280;
}

/// <summary>Attribute types from the IANA "STUN Attributes" registry that Punch uses.</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    /// <summary>RFC 8489 §14.6: HMAC-SHA256 over the message, like MESSAGE-INTEGRITY (§14.5) but with SHA-256.</summary>
    public const ushort MessageIntegritySha256 = 0x001C;
    /// <summary>RFC 8656 §18.2, reused by Punch's register and refresh exactly as TURN uses it.</summary>
    public const ushort Lifetime = 0x000D;
    public const ushort XorMappedAddress = 0x0020;
    /// <summary>RFC 8445 §16.1.</summary>
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    /// <summary>RFC 8489 §14: types 0x0000-0x7FFF are comprehension-required.</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}

/// <summary>The two bits of a message type that say request, indication or response (RFC 8489 §5).</summary>
public enum StunClass : byte
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}
