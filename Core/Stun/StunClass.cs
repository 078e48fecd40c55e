namespace Punch.Core.Stun;

/// <summary>The two bits of a message type that say request, indication or response (RFC 8489 §5).</summary>
public enum StunClass : byte
{
    Request = 0b00,
    Indication = 0b01,
    SuccessResponse = 0b10,
    ErrorResponse = 0b11,
}
