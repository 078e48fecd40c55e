using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Hosting;

/// <summary>
/// "::" as a bind address means both families on one socket. .NET sets IPV6_V6ONLY on every IPv6
/// socket it creates, so the wildcard alone would listen on IPv6 only; and a dual-mode socket reports
/// IPv4 peers as ::ffff:a.b.c.d, which is turned back into plain IPv4 at the socket boundary so limits,
/// registrations and logs see one form of an address.
/// </summary>
public static class DualStack
{
    /// <summary>Dual mode for the IPv6 wildcard; any other address is one family, as bound.</summary>
    public static void Prepare(Socket socket, IPAddress bind)
    {
        if (bind.Equals(IPAddress.IPv6Any))
        {
            socket.DualMode = true;
        }
    }

    public static TcpListener Listener(IPAddress bind, int port)
    {
        var listener = new TcpListener(bind, port);
        Prepare(listener.Server, bind);
        return listener;
    }

    public static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;
}
