namespace Punch.Core.Punching;

/// <summary>How a session punches, chosen from both sides' NAT mapping and filtering behaviour (RFC 4787 §4.1, §5).</summary>
public enum PunchStrategy
{
    /// <summary>Checks from the main socket to every candidate (ICE): enough whenever both mappings are endpoint-independent (or unknown), or the easy side's filter lets the hard side's new port in.</summary>
    Regular,

    /// <summary>
    /// We are behind an endpoint-dependent mapping, the peer is not: open many sockets and send checks
    /// from each to the peer's public endpoint. Each gets its own public port on our NAT, and each
    /// check opens that port toward the peer, waiting to be found by the peer's probes.
    /// </summary>
    OpenManySockets,

    /// <summary>
    /// The peer is behind an endpoint-dependent mapping, we are not: probe many random ports of its
    /// public address. A probe that hits a port one of its sockets opened gets through (the birthday
    /// paradox makes a hit likely with a few hundred sockets and a thousand probes), and each probe
    /// also opens our own NAT's filter toward that port for its checks.
    /// </summary>
    SprayPorts,

    /// <summary>Both mappings are endpoint-dependent: neither side can learn a port the other will use.</summary>
    Impossible,
}
