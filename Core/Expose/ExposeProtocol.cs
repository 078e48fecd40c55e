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

/// <summary>The attributes of the expose methods (0x7D40-0x7D4F, beside <see cref="Protocol.PunchAttributeType"/>'s).</summary>
public static class ExposeAttributeType
{
    /// <summary>4 bytes: the TCP port the server publishes the service on (1-65535).</summary>
    public const ushort PublicPort = 0x7D40;
    /// <summary>UTF-8, at most 256 bytes: what the peer serves ("127.0.0.1:8080"), for the dashboard only.</summary>
    public const ushort LocalService = 0x7D41;
    /// <summary>8 bytes: the server's id of one visitor connection.</summary>
    public const ushort ConnectionId = 0x7D42;
    /// <summary>16 bytes: the single-use secret that lets a data connection claim a visitor connection.</summary>
    public const ushort AttachToken = 0x7D43;
    /// <summary>XOR-address of the visitor, as the server saw it.</summary>
    public const ushort VisitorAddress = 0x7D44;
    /// <summary>4 bytes: seconds between keepalives the server expects from the peer.</summary>
    public const ushort KeepaliveSeconds = 0x7D45;
    /// <summary>
    /// 16 bytes: the random secret the server gives the holder of a public port (in the Register
    /// success response) and the holder shows again to take its own live registration over.
    /// </summary>
    public const ushort ServiceSecret = 0x7D46;
}

/// <summary>Error codes of an expose registration's error response (RFC 8489 §14.8 ranges).</summary>
public static class ExposeErrorCode
{
    /// <summary>The port is not in the server's Expose:AllowedPorts, or the network has no key and the server does not let open networks expose.</summary>
    public const int PortNotAllowed = 403;
    /// <summary>The port is held by another exposed service or another program, or the name by another service.</summary>
    public const int PortInUse = 409;
    /// <summary>A per-network, per-address or server-wide cap on exposed services is reached.</summary>
    public const int QuotaReached = 486;
}
