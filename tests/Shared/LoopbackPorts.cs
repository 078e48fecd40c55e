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
}
