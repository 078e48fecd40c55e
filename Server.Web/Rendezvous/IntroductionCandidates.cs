using System.Collections.Immutable;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>What an introduction tells one peer about the other's candidates.</summary>
public static class IntroductionCandidates
{
    /// <summary>
    /// The candidates <paramref name="peer"/> offers to <paramref name="viewer"/>. Behind the same public
    /// address (same NAT) the LAN addresses are the way, so host candidates go first; otherwise the
    /// public one does. A port the peer's router mapped for it goes before the server-reflexive one either
    /// way: it takes datagrams from anyone, where the server-reflexive port of a symmetric NAT takes
    /// only the server's. The server-reflexive endpoint of the other family (learned through our other-family endpoint) follows
    /// the server-reflexive one. A unique local IPv6 address only goes to a peer of the same site
    /// (<see cref="AddressScope"/>). At most <c>16</c> in all, the wire limit.
    /// </summary>
    public static ImmutableArray<Candidate> Of(RegisteredPeer peer, RegisteredPeer viewer)
    {
        var serverReflexive = new Candidate(CandidateKind.ServerReflexive, peer.PublicEndPoint);
        var hosts = peer.HostCandidates.Where(h => !h.Equals(peer.PublicEndPoint) && AddressScope.IsReachableFrom(h, viewer.HostCandidates)).Select(h => new Candidate(CandidateKind.Host, h));
        var mapped = (peer.MappedCandidates.IsDefault ? [] : peer.MappedCandidates).Select(m => new Candidate(CandidateKind.Mapped, m));
        // The other family's public endpoint, unless it is one of the host addresses already (no NAT66: the common case).
        Candidate[] otherFamily = peer.OtherFamilyReflexive is { } other && !peer.HostCandidates.Contains(other) ? [new Candidate(CandidateKind.ServerReflexive, other)] : [];
        bool sameNat = peer.PublicEndPoint.Address.Equals(viewer.PublicEndPoint.Address);
        IEnumerable<Candidate> ordered = sameNat ? [.. hosts, .. mapped, serverReflexive, .. otherFamily] : [.. mapped, serverReflexive, .. otherFamily, .. hosts];
        return [.. ordered.Take(16)];
    }
}
