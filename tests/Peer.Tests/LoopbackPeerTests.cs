using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests;

/// <summary>Two real peers on 127.0.0.1 against <see cref="FakeRendezvous"/>: register, meet, punch, talk.</summary>
public class LoopbackPeerTests
{
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
    public async Task Two_peers_with_count_both_punch_and_both_get_all_pongs()
    {
        await using var server = new FakeRendezvous();
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 4 });
        var bob = new PeerUnderTest(Options(server, "bob", "alice") with { Count = 4 });

        var aliceRun = alice.ConnectAsync();
        await alice.WaitForAsync<WaitingEvent>();
        var bobRun = bob.ConnectAsync();

        int[] exitCodes = await Task.WhenAll(aliceRun, bobRun).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        foreach (var peer in new[] { alice, bob })
        {
            var path = Assert.Single(peer.All<PathEvent>());
            Assert.Equal(PathKind.Direct, path.Kind);
            Assert.Equal(IPAddress.Loopback, path.Remote.Address);
            Assert.Equal(4, peer.All<PongEvent>().Count());
            Assert.Equal(4, Assert.Single(peer.All<PingsDoneEvent>()).Summary.Received);
            Assert.Empty(peer.All<FailedEvent>());
        }

        Assert.Equal(alice.All<IntroducedEvent>().Single().SessionId, bob.All<IntroducedEvent>().Single().SessionId);
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.PathUp && r.PathKind == PathKind.Direct);
        Assert.Contains(server.Reports, r => r.Peer.Name == "bob" && r.Outcome == SessionOutcome.PathUp && r.ChecksSent > 0);
        Assert.Contains(server.Refreshes, r => r.Lifetime == TimeSpan.Zero);
    }

    [Fact]
    public async Task Pings_continue_after_the_server_is_gone()
    {
        var server = new FakeRendezvous();
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 10 });
        var bob = new PeerUnderTest(Options(server, "bob", "alice") with { Count = 10 });
        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        await alice.WaitForAsync<PathEvent>();
        await bob.WaitForAsync<PathEvent>();
        await alice.WaitForAsync<PongEvent>();

        await server.DisposeAsync();
        int pongsBefore = alice.All<PongEvent>().Count();

        int[] exitCodes = await runs.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        Assert.True(alice.All<PongEvent>().Count() > pongsBefore, alice.OutputText);
        Assert.Equal(10, alice.All<PingsDoneEvent>().Single().Summary.Received);
        Assert.Equal(10, bob.All<PingsDoneEvent>().Single().Summary.Received);
    }

    [Fact]
    public async Task Chat_lines_reach_a_listener_and_come_back_echoed()
    {
        await using var server = new FakeRendezvous();
        using var stopListener = new CancellationTokenSource();
        var listener = new PeerUnderTest(Options(server, "echo"));
        var listenRun = listener.ListenAsync(stopListener.Token);
        await listener.WaitForAsync<RegisteredEvent>();
        var chatter = new PeerUnderTest(Options(server, "chatter", "echo") with { Input = new SlowReader("hello", "wörld ✓") });

        int chatExit = await chatter.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Success, chatExit);
        Assert.Equal(["hello", "wörld ✓"], listener.All<MessageEvent>().Select(m => m.Text));
        Assert.Equal(["hello", "wörld ✓"], chatter.All<MessageEvent>().Select(m => m.Text));
        await listener.WaitForAsync<ClosedEvent>(c => c.Peer == "chatter");

        await stopListener.CancelAsync();
        Assert.Equal(ExitCodes.Success, await listenRun.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains(server.Refreshes, r => r.Peer.Name == "echo" && r.Lifetime == TimeSpan.Zero);
    }

    [Fact]
    public async Task A_taken_name_fails_with_exit_1_and_says_so()
    {
        await using var server = new FakeRendezvous();
        server.TakenNames.Add("alice");
        var alice = new PeerUnderTest(Options(server, "alice", "bob"));

        Assert.Equal(ExitCodes.NoPath, await alice.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("taken", alice.All<FailedEvent>().Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_never_shows_up_ends_with_exit_1_at_the_timeout()
    {
        await using var server = new FakeRendezvous();
        var alice = new PeerUnderTest(Options(server, "alice", "nobody") with { Timeout = TimeSpan.FromSeconds(1.5), Count = 1 });

        Assert.Equal(ExitCodes.NoPath, await alice.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Single(alice.All<WaitingEvent>());
        Assert.Contains("did not show up", alice.All<FailedEvent>().Single().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_datagrams_are_dropped_and_the_peer_carries_on()
    {
        await using var server = new FakeRendezvous();
        var alice = new PeerUnderTest(Options(server, "alice", "bob") with { Count = 6 });
        var bob = new PeerUnderTest(Options(server, "bob", "alice") with { Count = 6 });
        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        await alice.WaitForAsync<PathEvent>();

        using var attacker = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var random = new Random(7);
        var target = server.EndPointOf("alice")!;
        for (int i = 0; i < 200; i++)
        {
            var junk = new byte[random.Next(0, 120)];
            random.NextBytes(junk);
            if (junk.Length > 0 && i % 2 == 0)
            {
                junk[0] = (byte)(0x40 | (junk[0] & 0x0F)); // looks like a peer frame
            }

            attacker.SendTo(junk, target);
        }

        int[] exitCodes = await runs.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        Assert.Equal(6, alice.All<PingsDoneEvent>().Single().Summary.Received);
    }

    [Fact]
    public async Task A_forgotten_registration_is_renewed_automatically()
    {
        await using var server = new FakeRendezvous(lifetime: TimeSpan.FromSeconds(3));
        using var stop = new CancellationTokenSource();
        var listener = new PeerUnderTest(Options(server, "listener"));
        var run = listener.ListenAsync(stop.Token);
        await listener.WaitForAsync<RegisteredEvent>();

        server.Forget();

        await listener.WaitForAsync<WarningEvent>(w => w.Text.Contains("registering again", StringComparison.Ordinal));
        await listener.WaitForAsync<RegisteredEvent>(_ => listener.All<RegisteredEvent>().Count() >= 2);
        Assert.Equal(2, server.Registrations);
        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>Hands out one line at a time with a pause, like a person typing, then end of input.</summary>
    private sealed class SlowReader(params string[] lines) : TextReader
    {
        private int _next;

        public override string? ReadLine()
        {
            Thread.Sleep(100);
            return _next < lines.Length ? lines[_next++] : null;
        }
    }
}
