using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Cli;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests;

/// <summary>
/// Two real peers on 127.0.0.1 against <see cref="FakeRendezvous"/> playing the relay: traffic starts
/// on the relay, moves to the direct path once punching confirms it, falls back when it dies, and
/// returns. <see cref="DirectTraffic"/> stands in for a NAT: while it is blocked, every datagram
/// between the peers' main sockets is lost, and only traffic with the server gets through.
/// </summary>
public class RelayPeerTests
{
    /// <summary>Short keepalives so a dead direct path is noticed within about a second.</summary>
    private static readonly PunchOptions QuickPunch = new()
    {
        KeepaliveInterval = TimeSpan.FromMilliseconds(200),
        PathTimeout = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(2),
    };

    private static PeerRunOptions Options(FakeRendezvous server, DirectTraffic traffic, string name, string? peer = null) => new()
    {
        Server = server.EndPoint,
        Name = name,
        Peer = peer,
        Interval = TimeSpan.FromMilliseconds(100),
        Linger = TimeSpan.FromSeconds(1),
        Timeout = TimeSpan.FromSeconds(20),
        LoseTraffic = endPoint => traffic.Blocked && !server.Owns(endPoint),
    };

    [Fact]
    public async Task Traffic_starts_on_the_relay_and_moves_to_the_direct_path()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic { Blocked = true };
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 30 });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 30 });
        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());

        await alice.WaitForAsync<PongEvent>();
        var relayed = alice.All<PathEvent>().Single();
        Assert.Equal(PathKind.Relayed, relayed.Kind);
        Assert.Equal(server.EndPoint, relayed.Remote);
        Assert.Null(relayed.Previous);

        traffic.Blocked = false;
        foreach (var peer in new[] { alice, bob })
        {
            var direct = await peer.WaitForAsync<PathEvent>(p => p.Kind == PathKind.Direct);
            Assert.Equal(PathKind.Relayed, direct.Previous);
            Assert.Equal(IPAddress.Loopback, direct.Remote.Address);
            Assert.NotNull(direct.Reason);
        }

        int[] exitCodes = await runs.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        Assert.Equal(30, alice.All<PingsDoneEvent>().Single().Summary.Received);
        Assert.True(server.Relay!.RelayedFrames > 0);
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.PathUp && r.PathKind == PathKind.Relayed);
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.PathUp && r.PathKind == PathKind.Direct);
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.Closed && r.BytesRelayed > 0 && r.BytesDirect > 0);
    }

    [Fact]
    public async Task A_hundred_chat_lines_sent_across_the_switch_arrive_once_and_in_order()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic { Blocked = true };
        using var stopListener = new CancellationTokenSource();
        var listener = new PeerUnderTest(Options(server, traffic, "echo"));
        var listenRun = listener.ListenAsync(stopListener.Token);
        await listener.WaitForAsync<RegisteredEvent>();
        string[] lines = [.. Enumerable.Range(1, 100).Select(i => $"line {i}")];
        // The first 40 lines go over the relay; then the direct path opens while the rest are on their way.
        var input = new PacedReader(lines, afterLine: 40, () => traffic.Blocked = false);
        var chatter = new PeerUnderTest(Options(server, traffic, "chatter", "echo") with { Input = input });

        int chatExit = await chatter.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ExitCodes.Success, chatExit);
        Assert.Equal(lines, listener.All<MessageEvent>().Select(m => m.Text));
        Assert.Equal(lines, chatter.All<MessageEvent>().Select(m => m.Text));
        Assert.Equal([PathKind.Relayed, PathKind.Direct], chatter.All<PathEvent>().Select(p => p.Kind));
        // Across the switch: echoes arrived on both sides of the move.
        var events = chatter.Events.ToList();
        int switchedAt = events.FindIndex(e => e is PathEvent { Kind: PathKind.Direct });
        Assert.Contains(events.Take(switchedAt), e => e is MessageEvent);
        Assert.Contains(events.Skip(switchedAt), e => e is MessageEvent);
        Assert.DoesNotContain(chatter.All<WarningEvent>(), w => w.Text.Contains("never acknowledged", StringComparison.Ordinal));
        await stopListener.CancelAsync();
        Assert.Equal(ExitCodes.Success, await listenRun.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    /// <summary>
    /// The listener's relay answers are lost at first, so the chatter's first lines reach it through
    /// the relay before it has a path of its own: their echoes must still go out (over the relay it is
    /// activating), not be dropped while it waits for its first path.
    /// </summary>
    [Fact]
    public async Task Lines_that_arrive_before_the_listeners_own_path_are_still_echoed()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        server.Relay!.SlowPeer = "echo";
        var traffic = new DirectTraffic { Blocked = true };
        using var stopListener = new CancellationTokenSource();
        var listener = new PeerUnderTest(Options(server, traffic, "echo"));
        var listenRun = listener.ListenAsync(stopListener.Token);
        await listener.WaitForAsync<RegisteredEvent>();
        string[] lines = [.. Enumerable.Range(1, 5).Select(i => $"early line {i}")];
        var chatter = new PeerUnderTest(Options(server, traffic, "chatter", "echo") with { Input = new StringReader(string.Join('\n', lines)) });

        int chatExit = await chatter.ConnectAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Success, chatExit);
        var listenerEvents = listener.Events.ToList();
        int listenerPathAt = listenerEvents.FindIndex(e => e is PathEvent);
        Assert.Contains(listenerEvents.Take(listenerPathAt < 0 ? listenerEvents.Count : listenerPathAt), e => e is MessageEvent);
        Assert.Equal(lines, chatter.All<MessageEvent>().Select(m => m.Text));
        Assert.DoesNotContain(listener.All<WarningEvent>(), w => w.Text.Contains("not sent", StringComparison.Ordinal));
        await stopListener.CancelAsync();
        Assert.Equal(ExitCodes.Success, await listenRun.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Relay_only_peers_stay_relayed_and_never_punch()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic();
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 5, Paths = PathPolicy.RelayOnly });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 5, Paths = PathPolicy.RelayOnly });

        int[] exitCodes = await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        foreach (var peer in new[] { alice, bob })
        {
            Assert.Equal(PathKind.Relayed, Assert.Single(peer.All<PathEvent>()).Kind);
            Assert.Equal(5, peer.All<PingsDoneEvent>().Single().Summary.Received);
        }

        Assert.All(server.Reports, r => Assert.Equal(0, r.ChecksSent));
        Assert.Contains(server.Reports, r => r.Outcome == SessionOutcome.PathUp && r.PathKind == PathKind.Relayed);
        Assert.DoesNotContain(server.Reports, r => r.PathKind == PathKind.Direct);
    }

    [Fact]
    public async Task Direct_only_peers_never_activate_the_relay_and_fail_with_the_punching_reason()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic { Blocked = true };
        var punch = QuickPunch;
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 2, Paths = PathPolicy.DirectOnly, Punch = punch, Timeout = TimeSpan.FromSeconds(4) });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 2, Paths = PathPolicy.DirectOnly, Punch = punch, Timeout = TimeSpan.FromSeconds(4) });

        int[] exitCodes = await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([ExitCodes.NoPath, ExitCodes.NoPath], exitCodes);
        Assert.Empty(server.Relay!.Activations);
        Assert.Empty(alice.All<PathEvent>());
        Assert.Contains("no path within", alice.All<FailedEvent>().First().Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_the_direct_path_dies_traffic_continues_on_the_relay_and_later_returns_to_direct()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic();
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 120, Punch = QuickPunch });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 120, Punch = QuickPunch });
        using var stop = new CancellationTokenSource();
        var runs = Task.WhenAll(alice.ConnectAsync(stop.Token), bob.ConnectAsync(stop.Token));
        await alice.WaitForAsync<PathEvent>(p => p.Kind == PathKind.Direct);
        await bob.WaitForAsync<PathEvent>(p => p.Kind == PathKind.Direct);

        traffic.Blocked = true;
        var fallback = await alice.WaitForAsync<PathEvent>(p => p.Previous == PathKind.Direct);
        Assert.Equal(PathKind.Relayed, fallback.Kind);
        Assert.Contains("lost", fallback.Reason, StringComparison.Ordinal);
        int pongsAtFallback = alice.All<PongEvent>().Count();
        await alice.WaitForAsync<PongEvent>(_ => alice.All<PongEvent>().Count() >= pongsAtFallback + 3);

        traffic.Blocked = false;
        var back = await alice.WaitForAsync<PathEvent>(p => p.Kind == PathKind.Direct && p.Previous == PathKind.Relayed, timeoutSeconds: 20);
        Assert.Equal(IPAddress.Loopback, back.Remote.Address);
        await bob.WaitForAsync<PathEvent>(p => p.Kind == PathKind.Direct && p.Previous == PathKind.Relayed, timeoutSeconds: 20);
        Assert.True(server.Relay!.Activations.Count(a => a.UsernameFragment.StartsWith("ufa", StringComparison.Ordinal)) >= 2, "the relay is asked for again on the fallback");
        Assert.Empty(alice.All<FailedEvent>());

        await stop.CancelAsync();
        await runs.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_relay_closed_while_relayed_fails_the_session_with_its_reason()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        var traffic = new DirectTraffic { Blocked = true };
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 50 });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 50 });
        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        await alice.WaitForAsync<PongEvent>();
        await bob.WaitForAsync<PathEvent>();

        server.Relay!.Close(alice.All<IntroducedEvent>().Single().SessionId, "session byte limit reached");

        foreach (var peer in new[] { alice, bob })
        {
            var failed = await peer.WaitForAsync<FailedEvent>();
            Assert.Contains("session byte limit reached", failed.Reason, StringComparison.Ordinal);
        }

        await runs.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Contains(server.Reports, r => r.Peer.Name == "alice" && r.Outcome == SessionOutcome.Closed && r.Reason!.Contains("byte limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_refused_relay_is_said_once_and_punching_carries_the_session()
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        server.Relay!.Refuse = true;
        var traffic = new DirectTraffic();
        var alice = new PeerUnderTest(Options(server, traffic, "alice", "bob") with { Count = 3 });
        var bob = new PeerUnderTest(Options(server, traffic, "bob", "alice") with { Count = 3 });

        int[] exitCodes = await Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([ExitCodes.Success, ExitCodes.Success], exitCodes);
        Assert.Equal(PathKind.Direct, Assert.Single(alice.All<PathEvent>()).Kind);
        Assert.Single(alice.All<WarningEvent>(), w => w.Text.Contains("no relay", StringComparison.Ordinal) && w.Text.Contains("486", StringComparison.Ordinal));
    }

    /// <summary>The test's switch for the "NAT" between the two peers.</summary>
    private sealed class DirectTraffic
    {
        private volatile bool _blocked;

        public bool Blocked
        {
            get => _blocked;
            set => _blocked = value;
        }
    }

    /// <summary>Hands out lines 20 ms apart, runs <paramref name="onLine"/> after line <paramref name="afterLine"/>, then end of input.</summary>
    private sealed class PacedReader(string[] lines, int afterLine, Action onLine) : TextReader
    {
        private int _next;

        public override string? ReadLine()
        {
            Thread.Sleep(20);
            if (_next == afterLine)
            {
                onLine();
            }

            return _next < lines.Length ? lines[_next++] : null;
        }
    }
}
