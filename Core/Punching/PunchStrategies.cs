using Punch.Core.Discovery;
using Punch.Core.Protocol;

namespace Punch.Core.Punching;

public static class PunchStrategies
{
    /// <summary>
    /// The choice from both sides' mapping (RFC 4787 §4.1) and filtering (§5). Checks go from the main socket to
    /// the other side's server-reflexive endpoint, and each side learns the other's peer-reflexive endpoint from
    /// the checks that arrive (RFC 8445 §7.3.1.3), so what matters is whether the first check of the "hard" side
    /// (endpoint-dependent mapping: a new public port toward the peer that nobody can know in advance) can get in:
    /// <code>
    /// local mapping  remote mapping  filtering of the EIM side  strategy (local side)
    /// EIM/unknown    EIM/unknown     any                        Regular: both public endpoints are the ones the server saw,
    ///                                                           each side's checks open its own filter for the other's (simultaneous open)
    /// EDM            EIM/unknown     EI (full cone, no NAT)     Regular: our check from a new port reaches the peer's public endpoint,
    ///                                                           which takes anyone; it answers the peer-reflexive endpoint it learnt
    /// EDM            EIM/unknown     AD (address-restricted)    Regular: the peer's checks to our server-reflexive endpoint opened its
    ///                                                           filter for our whole address, so our new port gets in too
    /// EDM            EIM/unknown     APD or unknown             OpenManySockets: only a port the peer probed gets in (birthday attack)
    /// EIM/unknown    EDM             EI or AD (ours)            Regular: the mirror of the two rows above (our own filtering decides)
    /// EIM/unknown    EDM             APD or unknown (ours)      SprayPorts: the mirror of OpenManySockets
    /// EDM            EDM             any                        Impossible: each side's port toward the other is new and unknown, and
    ///                                                           even a side that takes anyone answers from yet another new port
    /// </code>
    /// Unknown filtering counts as address-and-port-dependent (the most common, RFC 4787 §5, and the only choice
    /// that can still work against it), so a peer that did not report its filtering gets today's prediction.
    /// An unknown mapping counts as endpoint-independent: against a cone NAT only prediction can work, and
    /// against a symmetric one nothing can, so the extra packets are the only cost of guessing wrong.
    /// Both sides reach the same row: the hard side reads the easy side's filtering from the introduction, the
    /// easy side uses its own discovery, which is never less than what it reported (a late report only makes
    /// the hard side open sockets the easy side does not need).
    /// </summary>
    public static PunchStrategy Choose(NatType local, NatType remote) => (local.Mapping, remote.Mapping) switch
    {
        (NatMapping.EndpointDependent, NatMapping.EndpointDependent) => PunchStrategy.Impossible,
        (NatMapping.EndpointDependent, _) => LetsAnyPortOfTheAddressIn(remote.Filtering) ? PunchStrategy.Regular : PunchStrategy.OpenManySockets,
        (_, NatMapping.EndpointDependent) => LetsAnyPortOfTheAddressIn(local.Filtering) ? PunchStrategy.Regular : PunchStrategy.SprayPorts,
        _ => PunchStrategy.Regular,
    };

    /// <summary>Mapping only, filtering unknown (a peer or server without filtering reports).</summary>
    public static PunchStrategy Choose(NatMapping local, NatMapping remote) => Choose(new NatType(local), new NatType(remote));

    /// <summary>Endpoint-independent and address-dependent filtering admit a new port of an address the NAT has already sent to (RFC 4787 §5).</summary>
    private static bool LetsAnyPortOfTheAddressIn(NatBehaviour filtering) =>
        filtering is NatBehaviour.EndpointIndependent or NatBehaviour.AddressDependent;

    public static string Describe(NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent mapping (cone NAT or none)",
        NatMapping.EndpointDependent => "endpoint-dependent mapping (symmetric NAT)",
        _ => "unknown mapping",
    };

    public const string ImpossibleReason =
        "peer is behind a symmetric NAT and so are you: each NAT picks a new port per destination, so no direct path is possible (a relay is needed)";
}
