namespace Punch.Peer.PortMapping;

/// <summary>The ways a router can be asked for a port mapping, in the order they are tried.</summary>
internal enum PortMappingMethod
{
    Pcp,
    NatPmp,
    Upnp,
}

internal static class PortMappingMethods
{
    public static string Name(PortMappingMethod method) => method switch
    {
        PortMappingMethod.Pcp => "PCP",
        PortMappingMethod.NatPmp => "NAT-PMP",
        _ => "UPnP",
    };

    /// <summary>The lower-case name of the JSON output.</summary>
    public static string JsonName(PortMappingMethod method) => method switch
    {
        PortMappingMethod.Pcp => "pcp",
        PortMappingMethod.NatPmp => "natpmp",
        _ => "upnp",
    };
}
