namespace Punch.Core.Stun;

/// <summary>
/// A STUN message type: a 12-bit method and a 2-bit class, interleaved on the wire as
/// M11-M7 C1 M6-M4 C0 M3-M0 (RFC 8489 §5, figure 3) so that the top two bits stay zero.
/// </summary>
public readonly record struct StunMessageType(ushort Method, StunClass Class)
{
    public const ushort BindingMethod = 0x001;

    public ushort Encode()
    {
        int m = Method & 0x0FFF;
        int c = (int)Class;
        return (ushort)((m & 0x000F) | ((c & 0b01) << 4) | ((m & 0x0070) << 1) | ((c & 0b10) << 7) | ((m & 0x0F80) << 2));
    }

    public static StunMessageType Decode(ushort value)
    {
        int m = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int c = ((value >> 4) & 0b01) | ((value >> 7) & 0b10);
        return new StunMessageType((ushort)m, (StunClass)c);
    }

    public static StunMessageType BindingRequest => new(BindingMethod, StunClass.Request);
    public static StunMessageType BindingSuccess => new(BindingMethod, StunClass.SuccessResponse);

    public override string ToString() => $"0x{Method:X3}/{Class}";
}
