using System.Net;
using System.Net.Sockets;

namespace Punch.Tests.Shared;

public static class LoopbackPorts
{
    /// <summary>A TCP port free on loopback right now (the OS's choice, released at once): for a public port a test exposes, or one nothing listens on.</summary>
    public static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>
    /// A loopback TCP port that refuses connections for as long as the returned socket lives: bound
    /// but not listening (Linux answers a SYN to it with RST), and held, so no other socket of a
    /// test running alongside can take the port meanwhile (a port freed at once can be handed out again).
    /// </summary>
    public static Socket RefusingTcpPort(out IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        endPoint = (IPEndPoint)socket.LocalEndPoint!;
        return socket;
    }
}
