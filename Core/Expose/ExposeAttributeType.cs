namespace Punch.Core.Expose;

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
