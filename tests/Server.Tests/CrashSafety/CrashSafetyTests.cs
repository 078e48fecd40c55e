using System.Diagnostics;
using System.Net;
using Punch.Peer.Output;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.CrashSafety;

/// <summary>
/// The real server process, killed for real. "Acknowledged" for an event means committed in SQLite:
/// visible to another connection reading the file. Every figure the tests measure is written to the
/// test output (run with <c>--logger "console;verbosity=detailed"</c> to see them).
/// </summary>
public sealed class CrashSafetyTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan ReRegistrationLimit = TimeSpan.FromSeconds(10);
    private static readonly string[] FastRefresh =
    [
        // Peers refresh every PeerLifetime/3 = 2 s, so a restarted server learns about them within seconds.
        "--Rendezvous:PeerLifetime", "00:00:06",
    ];

    private readonly TempDatabase _database = new();
    private readonly int _udpPort = ServerProcess.FreeUdpPort();
    private readonly int _probePort = ServerProcess.FreeUdpPort();
    private readonly List<ServerProcess> _servers = [];
    private readonly CancellationTokenSource _peersStop = new();
    private readonly List<Task<int>> _peerRuns = [];

    private IPEndPoint Rendezvous => new(IPAddress.Loopback, _udpPort);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _peersStop.CancelAsync();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        // Listeners end on cancellation; the bound keeps a stuck one from holding up the suite.
        await Task.WhenAll(_peerRuns).WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { }, TaskScheduler.Default);
        _peersStop.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task Sigkill_under_load_loses_no_committed_event_and_peers_register_again_by_themselves()
    {
        var first = await StartServerAsync(FastRefresh);
        var peers = await StartListenersAsync("steady", count: 4);
        using var load = new RegistrationLoad(Rendezvous, "burst");
        using var stopLoad = new CancellationTokenSource();
        var loadRun = load.RunAsync(limit: 20_000, pause: TimeSpan.FromMilliseconds(1), stopLoad.Token);

        // Mid-load: wait until events are flowing, read what is committed, and kill at once.
        await Eventually.WaitForAsync(() => load.Acknowledged, n => n >= 300, "300 acknowledged registrations");
        var committedBeforeKill = EventIds();
        await first.KillAsync();
        int acknowledgedAtKill = load.Acknowledged;
        var killedAt = Stopwatch.StartNew();
        // The load's last request waits out its receive timeout; the restart does not wait for it.
        await stopLoad.CancelAsync();

        Assert.Equal("ok", IntegrityCheck());

        var second = await StartServerAsync(FastRefresh);
        var restartedAfter = killedAt.Elapsed;
        var backAt = Stopwatch.StartNew();
        var reRegistered = await WaitUntilAllRegisteredTwiceAsync(peers);
        var reRegistration = backAt.Elapsed;
        var sinceKill = killedAt.Elapsed;
        await loadRun.WaitAsync(TimeSpan.FromSeconds(10));

        var afterRestart = EventIds();
        var lost = committedBeforeKill.Except(afterRestart).ToList();
        long maxBeforeKill = committedBeforeKill.Count == 0 ? 0 : committedBeforeKill.Max();
        int survivedUpToKill = afterRestart.Count(id => id <= maxBeforeKill);
        output.WriteLine($"committed when read just before SIGKILL: {committedBeforeKill.Count} events (ids up to {maxBeforeKill}); "
            + $"registrations acknowledged by then: {acknowledgedAtKill}");
        output.WriteLine($"after restart: {survivedUpToKill} of those ids present, {lost.Count} missing; {afterRestart.Count} events in all");
        output.WriteLine($"server back {restartedAfter.TotalSeconds:0.00} s after the kill; all {peers.Count} peers registered again "
            + $"{reRegistration.TotalSeconds:0.00} s after that, {sinceKill.TotalSeconds:0.00} s after the kill "
            + $"(each: {string.Join(", ", reRegistered.Select(t => $"{t.TotalSeconds:0.00} s"))})");

        Assert.NotEmpty(committedBeforeKill);
        Assert.Empty(lost);
        Assert.Equal("ok", IntegrityCheck());
        Assert.True(reRegistration < ReRegistrationLimit, $"peers took {reRegistration.TotalSeconds:0.0} s to register again");
        Assert.All(peers, p => Assert.Contains(p.All<WarningEvent>(), w => w.Text.Contains("no longer knows", StringComparison.Ordinal)));
        Assert.False(second.HasExited);
    }

    [Fact]
    public async Task Sigterm_drains_queued_events_into_the_database_and_says_goodbye_to_peers()
    {
        // One event per transaction: the writer lags behind the burst (its first batch also pays EF Core's warm-up),
        // so SIGTERM finds a full queue to drain.
        string[] slowWriter = [.. FastRefresh, "--Events:MaxBatchSize", "1", "--Events:ShutdownDrainTimeout", "00:01:00", "--shutdownTimeoutSeconds", "90"];
        var server = await StartServerAsync(slowWriter);
        var listeners = await StartListenersAsync("alice", count: 1);
        var alice = listeners[0];
        var bob = PeerUnderTest.Fast(Rendezvous, "bob", "alice", count: 150);
        var bobRun = bob.ConnectAsync(_peersStop.Token);
        await bob.WaitForAsync<PathEvent>(timeoutSeconds: 30);

        using var load = new RegistrationLoad(Rendezvous, "queued");
        var burst = Stopwatch.StartNew();
        await load.RunAsync(limit: 1500, pause: TimeSpan.Zero, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        var burstTook = burst.Elapsed;
        long storedAtSigterm = QueuedNamesStored(load);
        long allStoredAtSigterm = _database.Scalar("SELECT COUNT(*) FROM Events");
        var shutdown = Stopwatch.StartNew();
        var exitCode = await server.TerminateAsync(TimeSpan.FromSeconds(90));
        var shutdownTook = shutdown.Elapsed;
        long storedAfterExit = QueuedNamesStored(load);

        output.WriteLine($"registrations acknowledged (events queued) in {burstTook.TotalSeconds:0.00} s: {load.Acknowledged}; "
            + $"stored when SIGTERM was sent: {storedAtSigterm} (events of any kind: {allStoredAtSigterm}); stored after exit: {storedAfterExit}; "
            + $"SIGTERM to exit {shutdownTook.TotalSeconds:0.00} s, exit code {exitCode}");
        Assert.Equal(0, exitCode);
        Assert.Equal(load.Acknowledged, storedAfterExit);
        Assert.Contains("queued events written at shutdown", server.Log, StringComparison.Ordinal);
        Assert.Equal("ok", IntegrityCheck());

        // The server told everyone registered; the real peer warns and keeps trying.
        var goodbye = await load.WaitForGoodbyeAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("server is shutting down", goodbye?.Reason);
        await alice.WaitForAsync<WarningEvent>(w => w.Text.Contains("is shutting down", StringComparison.Ordinal));

        var restartTimer = Stopwatch.StartNew();
        await StartServerAsync(FastRefresh);
        var backAfter = restartTimer.Elapsed;
        var reRegistered = await WaitUntilAllRegisteredTwiceAsync(listeners);
        output.WriteLine($"server back {backAfter.TotalSeconds:0.00} s after starting it; alice registered again {reRegistered[0].TotalSeconds:0.00} s later");

        // Bob's session with alice went on through the shutdown and restart: every ping answered.
        Assert.Equal(0, await bobRun.WaitAsync(TimeSpan.FromSeconds(30)));
        var pings = bob.All<PingsDoneEvent>().Single().Summary;
        output.WriteLine($"pings across the restart: {pings.Received} of {pings.Sent} answered");
        Assert.Equal(pings.Sent, pings.Received);
    }

    private async Task<ServerProcess> StartServerAsync(string[] settings)
    {
        var server = await ServerProcess.StartAsync(_database.Path, _udpPort, _probePort, settings);
        _servers.Add(server);
        return server;
    }

    private async Task<List<PeerUnderTest>> StartListenersAsync(string prefix, int count)
    {
        var peers = Enumerable.Range(0, count).Select(i => PeerUnderTest.Fast(Rendezvous, count == 1 ? prefix : $"{prefix}-{i}", peer: null)).ToList();
        _peerRuns.AddRange(peers.Select(p => p.ListenAsync(_peersStop.Token)));
        foreach (var peer in peers)
        {
            await peer.WaitForAsync<RegisteredEvent>(timeoutSeconds: 30);
        }

        return peers;
    }

    /// <summary>Polls until every peer has announced a second registration; the time each took, from now.</summary>
    private static async Task<TimeSpan[]> WaitUntilAllRegisteredTwiceAsync(List<PeerUnderTest> peers)
    {
        var timer = Stopwatch.StartNew();
        var took = new TimeSpan?[peers.Count];
        while (took.Any(t => t is null))
        {
            if (timer.Elapsed > ReRegistrationLimit * 2)
            {
                throw new TimeoutException($"not every peer registered again within {ReRegistrationLimit.TotalSeconds * 2:0} s; first peer's output:\n{peers[0].OutputText}");
            }

            for (int i = 0; i < peers.Count; i++)
            {
                took[i] ??= peers[i].All<RegisteredEvent>().Count() >= 2 ? timer.Elapsed : null;
            }

            await Task.Delay(25);
        }

        return [.. took.Select(t => t!.Value)];
    }

    private HashSet<long> EventIds()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM Events";
        using var reader = command.ExecuteReader();
        var ids = new HashSet<long>();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private long QueuedNamesStored(RegistrationLoad load) =>
        _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Registered' AND Peer LIKE '{load.NamePrefix}-%'");

    private string IntegrityCheck()
    {
        using var connection = _database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
