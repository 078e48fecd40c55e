namespace Punch.Core.PortMapping;

/// <summary>RFC 6886 §3.5 result codes.</summary>
public enum NatPmpResultCode : ushort
{
    Success = 0,
    UnsupportedVersion = 1,
    /// <summary>The gateway supports mapping but the user turned it off.</summary>
    NotAuthorized = 2,
    /// <summary>The gateway has no external address yet (no DHCP lease, say).</summary>
    NetworkFailure = 3,
    OutOfResources = 4,
    UnsupportedOpcode = 5,
}
