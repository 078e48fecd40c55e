using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Netcheck;

/// <summary>
/// What netcheck can say about IPv6: the host's global addresses (from its interfaces), and whether the server answered over
/// IPv6 and which public address it saw: at the IPv6 address it was given, or else at its announced IPv6 endpoint or its name's
/// AAAA record (<see cref="OtherFamilyCheck"/>, <paramref name="CheckedAt"/>).
/// Without NAT66 the public address is one of the global ones, and a peer's IPv6 host candidate is
/// already its public endpoint: only the firewall stands between two peers, and checks open it.
/// </summary>
public sealed record Ipv6Status(IReadOnlyList<IPAddress> GlobalAddresses, bool? Reachable, IPAddress? PublicAddress, IPEndPoint? CheckedAt = null)
{
    /// <summary>Checked when the server was reached over IPv6, or its IPv6 endpoint was (<paramref name="otherFamily"/>); otherwise <see cref="Reachable"/> is null (not checked).</summary>
    public static Ipv6Status Of(IPEndPoint server, DiscoveryResult result, IReadOnlyList<IPAddress> interfaceAddresses, OtherFamilyCheck.Result? otherFamily = null)
    {
        var global = interfaceAddresses
            .Where(a => AddressScope.IsIPv6(new IPEndPoint(a, 0)) && AddressScope.IsGatherable(a, includeLoopback: false) && !a.IsIPv6UniqueLocal)
            .Distinct()
            .ToList();
        if (!AddressScope.IsIPv6(server))
        {
            return otherFamily is null ? new Ipv6Status(global, null, null)
                : new Ipv6Status(global, otherFamily.PublicEndPoint is not null, otherFamily.PublicEndPoint?.Address, otherFamily.Server);
        }

        return new Ipv6Status(global, result.PublicEndPoint is not null, result.PublicEndPoint?.Address);
    }

    public static Ipv6Status Of(IPEndPoint server, DiscoveryResult result, OtherFamilyCheck.Result? otherFamily = null) => Of(server, result, HostCandidates.InterfaceAddresses(), otherFamily);

    /// <summary>No NAT66: the server saw one of this host's own addresses.</summary>
    public bool? WithoutNat => PublicAddress is { } address ? GlobalAddresses.Contains(address) : null;

    private string Via => CheckedAt is { } at ? $" (at {at})" : string.Empty;

    public string Describe()
    {
        string addresses = GlobalAddresses.Count == 0 ? "no global IPv6 address" : $"global {string.Join(", ", GlobalAddresses)}";
        return Reachable switch
        {
            true => $"reachable{Via}, public address {PublicAddress}{(WithoutNat == true ? " (no NAT66: same as local)" : string.Empty)}; {addresses}",
            false => $"the server did not answer over IPv6{Via}; {addresses}",
            null => $"{addresses}; reachability not checked (the server was given over IPv4 and names no IPv6 endpoint: pass its IPv6 address as --server [ADDRESS]:PORT)",
        };
    }
}
