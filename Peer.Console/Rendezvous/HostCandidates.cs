using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Punch.Peer.Rendezvous;

/// <summary>The addresses a peer on the same LAN (or the same machine) could reach us at directly.</summary>
internal static class HostCandidates
{
    /// <summary>
    /// With the socket bound to one address, that address is the only candidate. Bound to any,
    /// every IPv4 address of every interface that is up, with the socket's port; loopback only
    /// when the server is on loopback too (then the peers are on this machine and it is the path).
    /// </summary>
    public static ImmutableArray<IPEndPoint> Gather(IPEndPoint localEndPoint, IPEndPoint server)
    {
        if (!localEndPoint.Address.Equals(IPAddress.Any))
        {
            return [localEndPoint];
        }

        bool includeLoopback = IPAddress.IsLoopback(server.Address);
        var builder = ImmutableArray.CreateBuilder<IPEndPoint>();
        try
        {
            foreach (var networkInterface in NetworkInterface.GetAllNetworkInterfaces())
            {
                if (networkInterface.OperationalStatus != OperationalStatus.Up
                    && networkInterface.NetworkInterfaceType != NetworkInterfaceType.Loopback)
                {
                    continue;
                }

                foreach (var unicast in networkInterface.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily == AddressFamily.InterNetwork && (includeLoopback || !IPAddress.IsLoopback(address)))
                    {
                        builder.Add(new IPEndPoint(address, localEndPoint.Port));
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without interface information the server-reflexive candidate still works; host candidates only help on a shared LAN.
        }

        // Core caps a message at 16 candidates; the server adds the public one.
        return [.. builder.DistinctBy(e => e.Address).Take(15)];
    }
}
