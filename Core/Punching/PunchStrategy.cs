using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>How a session punches, chosen from both sides' NAT mapping behaviour (RFC 4787 §4.1).</summary>
public enum PunchStrategy
{
    /// <summary>Checks from the main socket to every candidate (ICE): enough whenever both mappings are endpoint-independent, or unknown.</summary>
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

public static class PunchStrategies
{
    /// <summary>
    /// An unknown mapping on the other side (its measurement failed) is treated as endpoint-independent:
    /// against a cone NAT only prediction can work, and against a symmetric one nothing can, so the
    /// extra packets are the only cost of guessing wrong.
    /// </summary>
    public static PunchStrategy Choose(NatMapping local, NatMapping remote) => (local, remote) switch
    {
        (NatMapping.EndpointDependent, NatMapping.EndpointDependent) => PunchStrategy.Impossible,
        (NatMapping.EndpointDependent, _) => PunchStrategy.OpenManySockets,
        (_, NatMapping.EndpointDependent) => PunchStrategy.SprayPorts,
        _ => PunchStrategy.Regular,
    };

    public static string Describe(NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent mapping (cone NAT or none)",
        NatMapping.EndpointDependent => "endpoint-dependent mapping (symmetric NAT)",
        _ => "unknown mapping",
    };

    public const string ImpossibleReason =
        "peer is behind a symmetric NAT and so are you: each NAT picks a new port per destination, so no direct path is possible (a relay is needed)";
}
