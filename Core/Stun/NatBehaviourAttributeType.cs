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
