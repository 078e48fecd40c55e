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
