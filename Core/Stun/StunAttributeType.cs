namespace Punch.Core.Stun;

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
