using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Peer.PortMapping;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests.PortMapping;

/// <summary>
/// A peer whose router (a fake PCP gateway on loopback) maps its port: the mapping goes to the server as a mapped
/// candidate, turns "both symmetric" from impossible into a regular punch, and is deleted when the peer exits.
/// The fake grants 127.0.0.1 as the external address, so checks sent to the mapped candidate stay on this machine.
/// </summary>
public sealed class PortMappedPeerTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    private static PeerRunOptions Options(FakeRendezvous server, string name, string? peer = null) => new()
    {
        Server = server.EndPoint,
        Name = name,
        Peer = peer,
        Interval = TimeSpan.FromMilliseconds(200),
        Linger = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(15),
        Paths = PathPolicy.DirectOnly,
    };

    /// <summary>The fake answers at once; a longer PCP limit only keeps a loaded machine from turning a slow reply into "no mapping".</summary>
    private static PortMappingSettings Answering(FakePortMappingGateway gateway, IPEndPoint ssdp) =>
        new(gateway.EndPoint, ssdp) { PcpWait = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Behind_two_symmetric_nats_a_router_mapping_makes_the_pair_punch_and_exit_deletes_it()
    {
        await using var server = new FakeRendezvous();
        server.SymmetricNatPeers.UnionWith(["alice", "bob"]);
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.21")) { ExternalAddress = IPAddress.Loopback };
        using var silentSsdp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silentSsdp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var stopBob = new CancellationTokenSource();
        var bob = new PeerUnderTest(Options(server, "bob") with { PortMappingSettings = Answering(gateway, (IPEndPoint)silentSsdp.LocalEndPoint!) });
        var bobRun = bob.ListenAsync(stopBob.Token);

        var mapped = await bob.WaitForAsync<PortMappingEvent>(e => e.State == "mapped");
        var registered = await bob.WaitForAsync<RegisteredEvent>();
        Assert.Equal(NatMapping.EndpointDependent, registered.Mapping);
        Assert.Equal("PCP", mapped.Method);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, registered.PublicEndPoint.Port), mapped.External); // the fake grants our own port
        Assert.Contains(server.Registers, r => r.Peer.Name == "bob" && r.Mapped.SequenceEqual([mapped.External!]));

        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 1 });
        Assert.Equal(ExitCodes.Success, await alice.ConnectAsync().WaitAsync(RunTimeout));
        var introduced = alice.All<IntroducedEvent>().Single();
        Assert.Contains(introduced.Candidates, c => c.Kind == CandidateKind.Mapped && c.EndPoint.Equals(mapped.External));
        Assert.Equal(PunchStrategy.Regular, introduced.Strategy);
        Assert.Contains($"{{\"kind\":\"mapped\",\"family\":\"v4\",\"endpoint\":\"{mapped.External}\"}}", alice.OutputText, StringComparison.Ordinal);
        Assert.NotEmpty(gateway.Mappings);

        await stopBob.CancelAsync();
        Assert.Equal(ExitCodes.Success, await bobRun.WaitAsync(RunTimeout));
        Assert.Empty(gateway.Mappings);
        Assert.Contains(bob.All<PortMappingEvent>(), e => e.State == "deleted");
        Assert.Contains("\"event\":\"portmap\",\"state\":\"mapped\",\"method\":\"PCP\"", bob.OutputText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_port_mapping_off_the_gateway_is_never_asked()
    {
        await using var server = new FakeRendezvous();
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.22"));
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo") with
        {
            PortMapping = false,
            PortMappingSettings = new PortMappingSettings(gateway.EndPoint, gateway.EndPoint),
        });
        var run = peer.ListenAsync(stop.Token);
        await peer.WaitForAsync<RegisteredEvent>();
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
        Assert.Equal(0, gateway.Requests);
        Assert.Empty(peer.All<PortMappingEvent>());
        Assert.All(server.Registers, r => Assert.Empty(r.Mapped));
    }

    [Fact]
    public async Task A_renewal_comes_at_half_the_granted_lifetime()
    {
        await using var server = new FakeRendezvous();
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.23")) { ExternalAddress = IPAddress.Loopback, GrantSeconds = 2 };
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo") with { PortMappingSettings = Answering(gateway, gateway.EndPoint) });
        var run = peer.ListenAsync(stop.Token);
        var registered = await peer.WaitForAsync<RegisteredEvent>();
        ushort port = (ushort)registered.PublicEndPoint.Port;

        // Granted 2 s: renewed at 1 s, 2 s, ... (real time: the keeper's delays use the peer's clock, the system one here).
        await Waiting.UntilAsync(() => gateway.MapRequests.GetValueOrDefault(port) >= 3, "two renewals of a 2 s mapping");
        Assert.DoesNotContain(peer.All<PortMappingEvent>(), e => e.State == "lost");
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
        Assert.Empty(gateway.Mappings);
    }
}
