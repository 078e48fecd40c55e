namespace Punch.Core.Protocol;

/// <summary>
/// How a NAT maps one local socket toward different destinations (RFC 4787 §4.1). It decides the
/// punching strategy: endpoint-dependent mapping (a "symmetric" NAT) gives a new public port per
/// destination, so the port the server saw is useless to the other peer.
/// </summary>
public enum NatMapping : byte
{
    Unknown = 0,
    /// <summary>The same public endpoint toward every destination (full cone, restricted cone, or no NAT).</summary>
    EndpointIndependent = 1,
    /// <summary>A different public endpoint per destination (address- or address-and-port-dependent: symmetric).</summary>
    EndpointDependent = 2,
}
