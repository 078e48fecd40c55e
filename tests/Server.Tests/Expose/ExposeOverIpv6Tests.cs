using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// <c>punch expose</c> and a visitor over IPv6: the server's expose and rendezvous listeners on "::" (one dual-stack socket
/// each), the exposing peer reaching the control port at [::1], and a visitor connecting to the public port at [::1].
/// </summary>
public sealed class ExposeOverIpv6Tests() : ExposeHost(new Dictionary<string, string?>
{
    ["Expose:BindAddress"] = "::",
    ["Rendezvous:BindAddress"] = "::",
})
{
    [Fact]
    public async Task A_service_exposed_over_IPv6_answers_a_visitor_at_the_IPv6_loopback()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        var peer = StartPeer("v6", local.EndPoint, port, serverAddress: IPAddress.IPv6Loopback);
        await peer.WaitForExposedAsync();

        using var visitor = new TcpClient(AddressFamily.InterNetworkV6) { NoDelay = true };
        await visitor.ConnectAsync(IPAddress.IPv6Loopback, port).WaitAsync(Timeout);
        var stream = visitor.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("ping over ipv6")).AsTask().WaitAsync(Timeout);
        var answer = new byte["ping over ipv6".Length];
        await stream.ReadExactlyAsync(answer).AsTask().WaitAsync(Timeout);

        Assert.Equal("ping over ipv6", Encoding.ASCII.GetString(answer));
        var service = Assert.Single(Snapshot.Services);
        Assert.Equal("v6", service.Peer);
    }
}
