using Punch.Server.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// A real <c>punch expose</c> whose path to the server dies silently (its network changed): it comes
/// back through a new connection showing its service secret and takes its port over at once, long
/// before the server's control timeout (one minute here) would have freed it.
/// </summary>
public sealed class ExposeReconnectTests() : ExposeHost(new Dictionary<string, string?>
{
    ["Expose:ControlTimeout"] = "00:01:00",
    ["Networks:secure:Key"] = Key,
    ["Expose:AllowOpenNetworks"] = "false",
})
{
    private const string Key = "correct horse battery staple";

    [Fact]
    public async Task A_peer_whose_path_died_silently_takes_its_port_over_with_its_secret()
    {
        using var proxy = new CuttableProxy(Control);
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        var peer = StartPeer("web", local.EndPoint, port, network: "secure", key: Key, control: proxy.EndPoint);
        await peer.WaitForExposedAsync();
        await AssertEchoesAsync(port);

        proxy.CutPeerSides();

        // Within the test timeout (20 s), well inside the server's one-minute control timeout: only a takeover explains it.
        await peer.WaitForExposedAsync(count: 2);
        await AssertEchoesAsync(port);
        Assert.Single(Snapshot.Services);
        Assert.Equal(0, Refused(ExposeRefusalKind.PortHeld));
        Assert.False(peer.Run.IsCompleted);
    }
}
