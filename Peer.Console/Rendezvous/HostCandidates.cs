using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Punch.Core.Protocol;

namespace Punch.Peer.Rendezvous;

/// <summary>The addresses a peer on the same LAN (or the same machine) could reach us at directly.</summary>
internal static class HostCandidates
{
    private const int MaxIPv6 = 4;

    /// <summary>
    /// With the socket bound to one address, that address is the only candidate. Bound to any,
    /// every IPv4 address of every interface that is up, with the socket's port, and on a dual-stack
    /// socket the global and unique local IPv6 ones (<see cref="AddressScope"/>); loopback only
    /// when the server is on loopback too (then the peers are on this machine and it is the path).
    /// </summary>
    public static ImmutableArray<IPEndPoint> Gather(IPEndPoint localEndPoint, IPEndPoint server)
    {
        if (!Hosting.DualStackSocket.IsWildcard(localEndPoint.Address))
        {
            return [localEndPoint];
        }

        bool includeLoopback = IPAddress.IsLoopback(server.Address);
        var builder = ImmutableArray.CreateBuilder<IPEndPoint>();
        foreach (var address in InterfaceAddresses())
        {
            // A dual-stack socket offers its IPv6 addresses too; loopback only of the server's own family, so a
            // test on 127.0.0.1 stays on IPv4 and one on [::1] can show the IPv6 path.
            bool usable = localEndPoint.AddressFamily == AddressFamily.InterNetworkV6 || address.AddressFamily == AddressFamily.InterNetwork;
            if (usable && AddressScope.IsGatherable(address, includeLoopback && address.AddressFamily == server.AddressFamily))
            {
                builder.Add(new IPEndPoint(address, localEndPoint.Port));
            }
        }

        // Core caps a message at 16 candidates; the server adds the public one. A host may hold many IPv6
        // addresses (a stable and several temporary ones per prefix, RFC 8981); a few are enough, and IPv4 keeps room.
        var distinct = builder.DistinctBy(e => e.Address).ToList();
        var ipv6 = distinct.Where(AddressScope.IsIPv6).Take(MaxIPv6);
        return [.. distinct.Where(e => !AddressScope.IsIPv6(e)).Concat(ipv6).Take(15)];
    }

    /// <summary>Every unicast address of every interface that is up (and loopback); empty when the OS will not say.</summary>
    public static IReadOnlyList<IPAddress> InterfaceAddresses()
    {
        var addresses = new List<IPAddress>();
        try
        {
            foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (networkInterface.OperationalStatus != OperationalStatus.Up
                    && networkInterface.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                addresses.AddRange(networkInterface.GetIPProperties().UnicastAddresses.Select(u => u.Address));
            }
        }
        catch (NetworkInformationException)
        {
            // Without interface information the server-reflexive candidate still works; host candidates only help on a shared LAN.
        }

        return addresses;
    }
}
