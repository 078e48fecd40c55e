using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Netcheck;

/// <summary>
/// What netcheck can say about IPv6: the host's global addresses (from its interfaces), and, when the
/// server was given by an IPv6 address, whether it answered over IPv6 and which public address it saw.
/// Without NAT66 the public address is one of the global ones, and a peer's IPv6 host candidate is
/// already its public endpoint: only the firewall stands between two peers, and checks open it.
/// </summary>
public sealed record Ipv6Status(IReadOnlyList<IPAddress> GlobalAddresses, bool? Reachable, IPAddress? PublicAddress)
{
    /// <summary>Checked when the server was reached over IPv6; otherwise <see cref="Reachable"/> is null (not checked).</summary>
    public static Ipv6Status Of(IPEndPoint server, DiscoveryResult result, IReadOnlyList<IPAddress> interfaceAddresses)
    {
        var global = interfaceAddresses
            .Where(a => AddressScope.IsIPv6(new IPEndPoint(a, 0)) && AddressScope.IsGatherable(a, includeLoopback: false) && !a.IsIPv6UniqueLocal)
            .Distinct()
            .ToList();
        if (!AddressScope.IsIPv6(server))
        {
            return new Ipv6Status(global, null, null);
        }

        return new Ipv6Status(global, result.PublicEndPoint is not null, result.PublicEndPoint?.Address);
    }

    public static Ipv6Status Of(IPEndPoint server, DiscoveryResult result) => Of(server, result, HostCandidates.InterfaceAddresses());

    /// <summary>No NAT66: the server saw one of this host's own addresses.</summary>
    public bool? WithoutNat => PublicAddress is { } address ? GlobalAddresses.Contains(address) : null;

    public string Describe()
    {
        string addresses = GlobalAddresses.Count == 0 ? "no global IPv6 address" : $"global {string.Join(", ", GlobalAddresses)}";
        return Reachable switch
        {
            true => $"reachable, public address {PublicAddress}{(WithoutNat == true ? " (no NAT66: same as local)" : string.Empty)}; {addresses}",
            false => $"the server did not answer over IPv6; {addresses}",
            null => $"{addresses}; reachability not checked (the server was given over IPv4: pass its IPv6 address as --server [ADDRESS]:PORT)",
        };
    }
}
