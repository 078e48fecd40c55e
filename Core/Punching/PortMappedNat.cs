using Punch.Core.Discovery;
using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>
/// A side whose router mapped a port for it (PCP, NAT-PMP, UPnP IGD) is, for punching, behind no NAT at all:
/// the mapped port takes datagrams from anyone (endpoint-independent filtering, RFC 4787 §5) and the router's
/// connection tracking sends the answers back from that same port, whatever the NAT does with new flows.
/// So a mapped candidate turns a symmetric NAT into the easy side and the strategy into <see cref="PunchStrategy.Regular"/>.
/// </summary>
public static class PortMappedNat
{
    public static readonly NatType Open = new(NatMapping.EndpointIndependent, NatBehaviour.EndpointIndependent);

    /// <summary>The other side as the strategy should see it: open when it offers a mapped candidate.</summary>
    public static NatType Remote(NatType reported, IEnumerable<Candidate> candidates) =>
        candidates.Any(c => c.Kind == CandidateKind.Mapped) ? Open : reported;

    /// <summary>Our side: open while our router holds a mapping for us.</summary>
    public static NatType Local(NatType measured, bool hasMapping) => hasMapping ? Open : measured;
}
