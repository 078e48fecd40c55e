using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Server.Events;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Storage;

/// <summary>The event log stays bounded by age and by count, and says what it deleted.</summary>
public sealed class RetentionTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Events_past_the_retention_go_with_their_closed_session_and_offline_peer_and_the_api_counts_them()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Storage:PruneInterval"] = "00:00:00.200" });
        using var client = app.CreateClient();
        // What peers did 40 days ago (Storage:Retention is 30 days by default): a session that closed, a peer that left.
        var past = new SimulatedPeers(app.Sink, new FixedClock(DateTimeOffset.UtcNow.AddDays(-40)));
        await past.RegisterAsync("lab", "old-a");
        await past.RegisterAsync("lab", "old-b");
        var oldSession = await past.ConnectDirectAsync("lab", "old-a", "old-b");
        await past.CloseAsync("lab", "old-a", "old-b", oldSession);
        await past.UnregisterAsync("lab", "old-a");
        await past.UnregisterAsync("lab", "old-b");
        // And now: a live pair with a session in progress.
        var now = new SimulatedPeers(app.Sink);
        await now.RegisterAsync("lab", "alice");
        await now.RegisterAsync("lab", "bob");
        var liveSession = await now.ConnectDirectAsync("lab", "alice", "bob");

        // One exact end state, not a sum a half-written log also reaches (the old rows stored, the live ones not yet):
        // the live pair's 9 events and rows all stored, and nothing of the old ones left.
        await Eventually.WaitForAsync(() => (
                Events: _database.Scalar("SELECT COUNT(*) FROM Events"),
                OldEvents: _database.Scalar("SELECT COUNT(*) FROM Events WHERE Peer LIKE 'old-%'"),
                Sessions: _database.Scalar("SELECT COUNT(*) FROM Sessions"),
                Peers: _database.Scalar("SELECT COUNT(*) FROM Peers")),
            n => n == (9, 0, 1, 2), "the old session and peers pruned, the live ones stored", Limit);

        Assert.Equal(0, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Peer LIKE 'old-%'"));
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{liveSession}'"));
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Name LIKE 'old-%'"));
        Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Online = 1"));
        long kept = _database.Scalar("SELECT COUNT(*) FROM Events");
        Assert.Equal(9, kept); // 2 registrations + the live session's 7 events.

        // The run is counted when it ends, just after its last DELETE: read until it is.
        var storage = await Eventually.WaitForAsync(async () => (await GetStatsAsync(client)).GetProperty("storage"),
            s => s.GetProperty("peersPruned").GetInt64() >= 2, "the pruning counted", Limit);
        Assert.Equal(_database.Scalar("SELECT MAX(Id) FROM Events") - kept, storage.GetProperty("eventsPruned").GetInt64());
        Assert.Equal(1, storage.GetProperty("sessionsPruned").GetInt64());
        Assert.Equal(2, storage.GetProperty("peersPruned").GetInt64());
        Assert.Equal(JsonValueKind.String, storage.GetProperty("lastPruneAt").ValueKind);
    }

    [Fact]
    public async Task Past_max_events_the_oldest_are_deleted_and_the_newest_kept()
    {
        const int published = 1_500;
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?>
        {
            ["Storage:MaxEvents"] = "1000",
            ["Storage:PruneInterval"] = "00:00:00.200",
            ["Storage:PruneBatchSize"] = "100",
        });
        using var client = app.CreateClient();
        var peers = new SimulatedPeers(app.Sink);
        for (int i = 0; i < published; i++)
        {
            await peers.RegisterAsync("count", $"peer-{i}");
        }

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COALESCE(MAX(Id), 0) FROM Events"), n => n == published, "every event stored", Limit);
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 1000, "the log cut to 1,000 events", Limit);

        Assert.Equal(published - 1000 + 1, _database.Scalar("SELECT MIN(Id) FROM Events"));
        // The peers are online: their rows stay whatever happened to their events.
        Assert.Equal(published, _database.Scalar("SELECT COUNT(*) FROM Peers"));
        // The pruner counts a run when it ends (after the sessions and peers it also looks at), a moment after the last
        // event batch is deleted: read until the run is counted, not once.
        var storage = await Eventually.WaitForAsync(async () => (await GetStatsAsync(client)).GetProperty("storage"),
            s => s.GetProperty("eventsPruned").GetInt64() >= published - 1000, "the pruning counted", Limit);
        Assert.Equal(published - 1000, storage.GetProperty("eventsPruned").GetInt64());
        Assert.Equal(1000, storage.GetProperty("maxEvents").GetInt64());
    }

    [Fact]
    public async Task A_burst_past_the_queue_is_either_stored_or_counted_as_dropped()
    {
        const int published = 5_000;
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Events:Capacity"] = "16" });
        using var client = app.CreateClient();
        var sink = app.Sink;
        int accepted = 0;
        for (int i = 0; i < published; i++)
        {
            var burst = new PeerRegistered { At = DateTimeOffset.UtcNow, Network = "burst", Peer = $"peer-{i}", PublicEndpoint = "203.0.113.9:40000", Candidates = [], Nat = new() };
            accepted += sink.TryPublish(burst) ? 1 : 0;
        }

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == accepted, $"the {accepted} accepted events stored", Limit);
        var stats = await GetStatsAsync(client);
        var storage = stats.GetProperty("storage");
        long persisted = storage.GetProperty("eventsPersisted").GetInt64();
        long dropped = storage.GetProperty("eventsDropped").GetInt64();

        Assert.True(accepted < published, "the burst should overflow a 16-event queue");
        Assert.Equal(accepted, persisted);
        Assert.Equal(published, persisted + dropped);
        Assert.Equal(dropped, stats.GetProperty("rendezvous").GetProperty("eventsDropped").GetInt64());
    }

    private static async Task<JsonElement> GetStatsAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/stats").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
    }

    /// <summary>A clock stopped at a moment in the past, for peers that acted then.</summary>
    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }
}
