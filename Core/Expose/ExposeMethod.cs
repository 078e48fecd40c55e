namespace Punch.Core.Expose;

/// <summary>
/// The methods of <c>punch expose --public-port</c>, spoken over TCP (RFC 8489 §6.2.2: STUN messages
/// back to back, each one's length from its header) on the server's expose control port. They sit
/// in the same unassigned designated-expert range as <see cref="Protocol.PunchMethod"/> (0xD20-0xD2F),
/// kept apart from the UDP methods so a message of one transport is never taken for the other.
/// </summary>
public static class ExposeMethod
{
    /// <summary>Peer → server, first message of a control connection: publish my service on PUBLIC-PORT. Signed when the network has a key.</summary>
    public const ushort Register = 0xD20;
    /// <summary>Server → peer (indication): a visitor connected; open a data connection and attach it with CONNECTION-ID and ATTACH-TOKEN.</summary>
    public const ushort Open = 0xD21;
    /// <summary>Peer → server, first and only message of a data connection (indication): this connection carries visitor CONNECTION-ID; raw bytes follow.</summary>
    public const ushort Attach = 0xD22;
    /// <summary>Peer → server (indication): the local service could not take visitor CONNECTION-ID; REASON says why.</summary>
    public const ushort OpenFailed = 0xD23;
    /// <summary>Either way (indication): "I am still here", so a dead control connection is noticed within the timeout.</summary>
    public const ushort Keepalive = 0xD24;
}
