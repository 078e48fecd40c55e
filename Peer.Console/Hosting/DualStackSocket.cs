using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.Hosting;

/// <summary>
/// The peer's UDP sockets speak both families from one port when bound to the wildcard: one IPv6
/// socket in dual mode, bound to [::]. One socket (not one per family) keeps the server's view of the
/// peer and every check on the same local port, so a session needs no per-family state; IPv4 senders
/// arrive as ::ffff:a.b.c.d and are normalized here, at the socket boundary, so candidates, sessions
/// and comparisons see plain IPv4. A host without IPv6 (disabled in the kernel) falls back to IPv4.
/// </summary>
internal static class DualStackSocket
{
    /// <summary>A socket bound to <paramref name="bind"/>; the IPv4 wildcard becomes the dual-stack wildcard when the OS has IPv6.</summary>
    public static Socket Bind(IPEndPoint bind)
    {
        if (bind.Address.Equals(IPAddress.Any) && Socket.OSSupportsIPv6)
        {
            var dual = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                dual.DualMode = true;
                dual.Bind(new IPEndPoint(IPAddress.IPv6Any, bind.Port));
                return dual;
            }
            catch (SocketException)
            {
                // IPv6 compiled in but not configured (e.g. ipv6.disable=1 still reports support): IPv4 as before.
                dual.Dispose();
            }
        }

        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (bind.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(bind);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The template endpoint ReceiveFrom fills in: it must be of the socket's family.</summary>
    public static IPEndPoint AnySender(Socket socket) =>
        new(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

    /// <summary>True for either wildcard: the socket listens on every address, so every interface address is a host candidate.</summary>
    public static bool IsWildcard(IPAddress address) => address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any);

    public static IPEndPoint Normalize(EndPoint endPoint)
    {
        var ip = (IPEndPoint)endPoint;
        return ip.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : ip;
    }
}
