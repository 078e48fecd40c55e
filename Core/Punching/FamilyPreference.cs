using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>
/// IPv6 beside IPv4 in one session. RFC 8421 §4: prefer IPv6 pairs but keep IPv4 ones in the race, so a
/// broken IPv6 path costs nothing (the first pair that works both ways is nominated, as before: nothing
/// waits for IPv6). Here that preference is order: IPv6 pairs are checked first, so where both families
/// work the IPv6 pair normally validates, and is nominated, first.
/// </summary>
public static class FamilyPreference
{
    /// <summary>IPv6 candidates first, each family in the order the server gave (stable).</summary>
    public static IEnumerable<Candidate> Order(IEnumerable<Candidate> candidates) =>
        candidates.OrderBy(c => AddressScope.IsIPv6(c.EndPoint) ? 0 : 1);

    /// <summary>
    /// The NAT types were measured over IPv4 (IPv6 is normally without NAT, behind a stateful firewall
    /// that behaves like an endpoint-independent mapping with address-and-port-dependent filtering).
    /// So two symmetric IPv4 NATs say nothing about IPv6: when the peer offers an IPv6 candidate the
    /// session checks normally instead of giving up at once.
    /// </summary>
    public static PunchStrategy Choose(NatType local, NatType remote, IEnumerable<Candidate> remoteCandidates)
    {
        var strategy = PunchStrategies.Choose(local, remote);
        return strategy == PunchStrategy.Impossible && remoteCandidates.Any(c => AddressScope.IsIPv6(c.EndPoint))
            ? PunchStrategy.Regular
            : strategy;
    }

    /// <summary>Port prediction guesses IPv4 NAT ports; an IPv6 server-reflexive address has no NAT to predict.</summary>
    public static bool IsPredictable(Candidate candidate) => !AddressScope.IsIPv6(candidate.EndPoint);
}
