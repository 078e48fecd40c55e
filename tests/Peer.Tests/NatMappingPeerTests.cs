using System.Diagnostics;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Cli;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests;

/// <summary>
/// The NAT mapping measurement and the strategies it leads to, with real peers on 127.0.0.1.
/// Loopback has no NAT, so <see cref="FakeRendezvous.SymmetricNatPeers"/> makes a peer measure an
/// endpoint-dependent mapping by answering its probe with another port.
/// </summary>
public class NatMappingPeerTests
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
    };

    [Fact]
    public async Task A_peer_on_loopback_measures_endpoint_independent_mapping_and_tells_the_server_in_a_refresh()
    {
        await using var server = new FakeRendezvous();
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo"));
        var run = peer.ListenAsync(stop.Token);

        var registered = await peer.WaitForAsync<RegisteredEvent>();

        Assert.Equal(NatMapping.EndpointIndependent, registered.Mapping);
        Assert.Single(server.Probes);
        // The registration counts as done only once the server has the mapping.
        Assert.Contains(server.Refreshes, r => r.Peer.Name == "solo" && r.Mapping == NatMapping.EndpointIndependent && r.Lifetime is null);
        Assert.Contains("\"natMapping\":\"endpoint-independent\"", peer.OutputText, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task Without_a_probe_port_the_mapping_is_unknown_and_nothing_is_probed()
    {
        await using var server = new FakeRendezvous(announceProbePort: false);
        using var stop = new CancellationTokenSource();
        var peer = new PeerUnderTest(Options(server, "solo"));
        var run = peer.ListenAsync(stop.Token);

        var registered = await peer.WaitForAsync<RegisteredEvent>();

        Assert.Equal(NatMapping.Unknown, registered.Mapping);
        Assert.Empty(server.Probes);
        Assert.Contains("\"natMapping\":\"unknown\"", peer.OutputText, StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task Both_peers_behind_symmetric_NATs_fail_at_once_with_the_reason_and_exit_1()
    {
        await using var server = new FakeRendezvous();
        server.SymmetricNatPeers.UnionWith(["alice", "bob"]);
        using var stopBob = new CancellationTokenSource();
        var bob = new PeerUnderTest(Options(server, "bob"));
        var bobRun = bob.ListenAsync(stopBob.Token);
        Assert.Equal(NatMapping.EndpointDependent, (await bob.WaitForAsync<RegisteredEvent>()).Mapping);
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 1 });

        var clock = Stopwatch.StartNew();
        int exitCode = await alice.ConnectAsync().WaitAsync(RunTimeout);

        Assert.Equal(ExitCodes.NoPath, exitCode);
        // Immediately, not at the 15 s punch timeout.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Equal(NatMapping.EndpointDependent, alice.All<RegisteredEvent>().Single().Mapping);
        var introduced = alice.All<IntroducedEvent>().Single();
        Assert.Equal(PunchStrategy.Impossible, introduced.Strategy);
        Assert.Equal(NatMapping.EndpointDependent, introduced.RemoteMapping);
        Assert.Equal(PunchStrategies.ImpossibleReason, alice.All<FailedEvent>().Single().Reason);
        Assert.Empty(alice.All<PathEvent>());
        Assert.Contains("\"strategy\":\"impossible\"", alice.OutputText, StringComparison.Ordinal);
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.Failed && r.Reason == PunchStrategies.ImpossibleReason);

        await bob.WaitForAsync<FailedEvent>(f => f.Reason == PunchStrategies.ImpossibleReason);
        await stopBob.CancelAsync();
        Assert.Equal(ExitCodes.Success, await bobRun.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task The_symmetric_side_opens_extra_sockets_checks_from_them_connects_and_closes_them()
    {
        const int sockets = 8;
        await using var server = new FakeRendezvous();
        server.SymmetricNatPeers.Add("alice");
        var prediction = new PunchOptions { PredictionSockets = sockets, PredictionProbes = 20 };
        using var stopBob = new CancellationTokenSource();
        var bob = new PeerUnderTest(Options(server, "bob") with { Punch = prediction });
        var bobRun = bob.ListenAsync(stopBob.Token);
        await bob.WaitForAsync<RegisteredEvent>();
        PeerHost? aliceHost = null;
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 3, Punch = prediction, HostOpened = h => aliceHost = h });

        var aliceRun = alice.ConnectAsync();
        var path = await alice.WaitForAsync<PathEvent>();

        Assert.NotNull(aliceHost);
        var introduced = alice.All<IntroducedEvent>().Single();
        Assert.Equal((PunchStrategy.OpenManySockets, NatMapping.EndpointIndependent, sockets), (introduced.Strategy, introduced.RemoteMapping, introduced.PredictionCount));
        Assert.Equal(PunchStrategy.SprayPorts, bob.All<IntroducedEvent>().Single().Strategy);
        Assert.Equal(sockets, aliceHost.ExtraSockets.OpenedTotal);
        Assert.True(aliceHost.ExtraSockets.DatagramsSent >= sockets, $"{aliceHost.ExtraSockets.DatagramsSent} datagrams from extra sockets");
        // Once the path is up only its own socket may stay open (none when it is the main socket).
        int kept = path.Socket == 0 ? 0 : 1;
        await Waiting.UntilAsync(() => aliceHost.ExtraSockets.OpenCount == kept, "extra sockets closed after the path came up");

        Assert.Equal(ExitCodes.Success, await aliceRun.WaitAsync(RunTimeout));
        Assert.Equal(3, alice.All<PingsDoneEvent>().Single().Summary.Received);
        Assert.Equal(0, aliceHost.ExtraSockets.OpenCount);
        await stopBob.CancelAsync();
        Assert.Equal(ExitCodes.Success, await bobRun.WaitAsync(RunTimeout));
    }

    [Fact]
    public async Task When_only_an_extra_socket_gets_through_the_path_and_every_frame_use_that_socket()
    {
        const int sockets = 8;
        await using var server = new FakeRendezvous();
        server.SymmetricNatPeers.Add("alice");
        // No probes from bob: on loopback they would only hit random ports.
        var prediction = new PunchOptions { PredictionSockets = sockets, PredictionProbes = 0 };
        using var bob = new FilteringPeer();
        using var stopBob = new CancellationTokenSource();
        // Remembered once seen: alice's registration goes away when she leaves, her main socket stays filtered.
        IPEndPoint? aliceMain = null;
        var bobRun = bob.RunAsync(server, "bob", () => aliceMain ??= server.EndPointOf("alice"), prediction, RunTimeout, stopBob.Token);
        await Waiting.UntilAsync(() => server.EndPointOf("bob") is not null, "bob registered");
        PeerHost? aliceHost = null;
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 3, Linger = TimeSpan.Zero, Punch = prediction, HostOpened = h => aliceHost = h });

        int exitCode = await alice.ConnectAsync().WaitAsync(RunTimeout);

        Assert.Equal(ExitCodes.Success, exitCode);
        var path = alice.All<PathEvent>().Single();
        Assert.InRange(path.Socket, 1, sockets);
        Assert.Contains($"\"socket\":{path.Socket}", alice.OutputText, StringComparison.Ordinal);
        Assert.Equal(3, alice.All<PingsDoneEvent>().Single().Summary.Received);
        // Pings and the goodbye all left from the path's socket, none from the main one.
        await Waiting.UntilAsync(() => bob.Frames.Any(f => f.Type == Core.Peering.PeerFrameType.Close), "alice's Close frame");
        var pathSource = Assert.Single(bob.Frames.Select(f => f.From).Distinct());
        Assert.NotEqual(alice.All<RegisteredEvent>().Single().PublicEndPoint, pathSource);
        Assert.Equal(3, bob.Frames.Count(f => f.Type == Core.Peering.PeerFrameType.Ping));
        Assert.Equal(0, aliceHost!.ExtraSockets.OpenCount);
        await stopBob.CancelAsync();
        await bobRun.WaitAsync(RunTimeout);
    }
}
