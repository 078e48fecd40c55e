using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

/// <summary>Events published into the sink end up in the SQLite file, with the projections applied.</summary>
public sealed class EventPipelineTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Registration_and_direct_session_are_stored_in_the_sqlite_file()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);

        await peers.RegisterAsync("lab", "alice");
        await peers.RegisterAsync("lab", "bob");
        var sessionId = await peers.ConnectDirectAsync("lab", "alice", "bob");

        // 2 registrations + 3 session steps + 2 × (checks + path up).
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 9, "9 stored events");

        Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Network = 'lab' AND Online = 1"));
        Assert.Equal(1, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Name = 'alice' AND PublicEndpoint LIKE '203.0.113.%' AND Candidates LIKE 'host 198.18.%'"));
        Assert.Equal(1, _database.Scalar(
            $"SELECT COUNT(*) FROM Sessions WHERE Id = '{sessionId}' AND State = 'Direct' AND PeerA = 'alice' AND PeerB = 'bob' " +
            "AND TimeToConnectMs = 42.5 AND RttMs = 3.25 AND PathKind = 'direct' AND ConnectedAt IS NOT NULL AND IntroducedAt IS NOT NULL " +
            "AND RemoteEndpointA = '203.0.113.2:40002' AND RemoteEndpointB = '203.0.113.1:40001' AND ChecksSent = 10 AND ChecksReceived = 8"));
        // Ids are assigned by the database in publish order.
        Assert.Equal(9, _database.Scalar("SELECT MAX(Id) FROM Events"));
        Assert.Equal(9, _database.Scalar($"SELECT MAX(Id) FROM Events WHERE SessionId = '{sessionId}' AND Kind = 'PathUp'"));
    }

    [Fact]
    public async Task Session_states_only_move_forward_and_direct_beats_one_sides_failure()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);

        var direct = await peers.ConnectDirectAsync("lab", "a", "b");
        await peers.FailAsync("lab", "b", "a", direct, "no response from a");
        var failed = await peers.StartPunchingAsync("lab", "c", "d");
        await peers.FailAsync("lab", "c", "d", failed, "symmetric NAT on both sides");
        var closed = await peers.ConnectDirectAsync("lab", "e", "f");
        await peers.CloseAsync("lab", "e", "f", closed);

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind IN ('Failed', 'Closed')"), n => n == 3, "outcome events");

        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{direct}' AND State = 'Direct' AND FailureReason IS NULL"));
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{failed}' AND State = 'Failed' AND FailureReason = 'symmetric NAT on both sides'"));
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{closed}' AND State = 'Closed' AND ClosedAt IS NOT NULL AND ConnectedAt IS NOT NULL"));
    }

    [Fact]
    public async Task The_dashboards_in_process_notifier_sees_each_event_after_it_is_stored()
    {
        await using var app = new PunchAppFactory(_database);
        var notified = new ConcurrentQueue<(StoredEvent Event, long StoredCount)>();
        // The count is read inside the handler: the event must already be committed when the page hears of it.
        using var subscription = app.Services.GetRequiredService<PunchEventNotifier>()
            .Subscribe(e => notified.Enqueue((e, _database.Scalar("SELECT COUNT(*) FROM Events"))));

        await new SimulatedPeers(app.Sink).RegisterAsync("lab", "dave");

        var (stored, storedCount) = (await Eventually.WaitForAsync(() => notified.ToArray(), n => n.Length == 1, "one notification"))[0];
        Assert.Equal(1, stored.Id);
        Assert.Equal("dave", stored.Peer);
        Assert.Equal(1, storedCount);
    }

    [Fact]
    public async Task Unregistering_marks_the_peer_offline()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);

        await peers.RegisterAsync("lab", "carol");
        await peers.UnregisterAsync("lab", "carol");

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 2, "2 stored events");
        Assert.Equal(0, _database.Scalar("SELECT Online FROM Peers WHERE Name = 'carol'"));
    }

    [Fact]
    public async Task Everything_queued_at_shutdown_is_written_before_the_app_exits()
    {
        const int count = 3000;
        await using (var app = new PunchAppFactory(_database))
        {
            var peers = new SimulatedPeers(app.Sink);
            for (var i = 0; i < count; i++)
            {
                await peers.RegisterAsync("burst", $"peer-{i % 100}");
            }
            // Dispose right away: most of the burst is still queued.
        }

        Assert.Equal(count, _database.Scalar("SELECT COUNT(*) FROM Events"));
        Assert.Equal(100, _database.Scalar("SELECT COUNT(*) FROM Peers"));
    }
}
