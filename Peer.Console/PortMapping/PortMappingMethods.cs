namespace Punch.Peer.PortMapping;

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
