namespace Punch.Core.Expose;

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
