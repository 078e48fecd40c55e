namespace Punch.Peer.PortMapping;

/// <summary>The ways a router can be asked for a port mapping, in the order they are tried.</summary>
internal enum PortMappingMethod
{
    Pcp,
    NatPmp,
    Upnp,
}
