using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;
using Punch.Server.Storage;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.Storage;

/// <summary>
/// A benchmark, not a check (<c>./test.sh</c> leaves the Benchmark category out): how many events a
/// second the writer stores into a real SQLite file, in the shape of a registration flood (a new peer
/// name per event, from 40 sources, with refreshes of known peers mixed in). Figures: docs/storage-benchmark.md.
/// Run: <c>dotnet test tests/Server.Tests --filter "FullyQualifiedName~EventWriterBenchmark" --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class EventWriterBenchmark(ITestOutputHelper output) : IDisposable
{
    private const int Events = 60_000;
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Registration_flood_is_persisted_at_a_measured_rate()
    {
        // A queue that holds the whole flood: the figure is the writer's pace, not the queue's.
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Events:Capacity"] = "1000000" });
        var sink = app.Sink;
        // Warm-up: EF Core's first save compiles its model and queries.
        Assert.True(sink.TryPublish(Flood(-1)));
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 1, "the warm-up event");

        var timer = Stopwatch.StartNew();
        for (int i = 0; i < Events; i++)
        {
            Assert.True(sink.TryPublish(Flood(i)));
        }

        var published = timer.Elapsed;
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == Events + 1, $"{Events} stored events", TimeSpan.FromMinutes(3));
        var stored = timer.Elapsed;
        double rate = Events / stored.TotalSeconds;
        output.WriteLine($"{Events} events published in {published.TotalSeconds:0.00} s, all stored after {stored.TotalSeconds:0.00} s: {rate:0} events/s persisted");
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public async Task Pruning_a_full_log_while_a_flood_is_written()
    {
        const int history = 100_000;
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?>
        {
            ["Events:Capacity"] = "1000000",
            ["Storage:MaxEvents"] = "1000",
            // The test runs the pruner itself, once, while the writer is busy.
            ["Storage:PruneInterval"] = "1.00:00:00",
        });
        var sink = app.Sink;
        Assert.True(sink.TryPublish(Flood(-1)));
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 1, "the warm-up event");
        for (int i = 0; i < history; i++)
        {
            Assert.True(sink.TryPublish(Flood(i)));
        }

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == history + 1, $"{history} stored events", TimeSpan.FromMinutes(3));

        var pruner = app.Services.GetRequiredService<EventPruner>();
        long before = _database.Scalar("SELECT MAX(Id) FROM Events");
        for (int i = history; i < history + Events; i++)
        {
            Assert.True(sink.TryPublish(Flood(i)));
        }

        var timer = Stopwatch.StartNew();
        var pruned = await pruner.PruneAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(3));
        var pruneTook = timer.Elapsed;
        long writtenDuringPrune = _database.Scalar("SELECT MAX(Id) FROM Events") - before;
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT MAX(Id) FROM Events"), n => n == before + Events, $"{Events} more stored events", TimeSpan.FromMinutes(3));
        var allStored = timer.Elapsed;
        output.WriteLine($"pruned {pruned.Events} events, {pruned.Peers} peers in {pruneTook.TotalSeconds:0.00} s ({pruned.Events / pruneTook.TotalSeconds:0} events/s deleted); "
            + $"the writer stored {writtenDuringPrune} events meanwhile ({writtenDuringPrune / pruneTook.TotalSeconds:0} events/s), all {Events} after {allStored.TotalSeconds:0.00} s ({Events / allStored.TotalSeconds:0} events/s)");
    }

    /// <summary>Three in four events register a new name (each a new peer row), the fourth refreshes a peer seen before.</summary>
    private static PunchEvent Flood(int i)
    {
        int peer = i % 4 == 3 ? i - 3 : i;
        var network = $"flood-{(peer & 0x7fffffff) % 40}";
        var publicEndpoint = $"198.51.100.{(i & 0x7fffffff) % 40 + 1}:{40000 + (i & 0x7fff)}";
        return i % 4 == 3
            ? new PeerRefreshed { At = DateTimeOffset.UtcNow, Network = network, Peer = $"peer-{peer}", PublicEndpoint = publicEndpoint, Nat = new() }
            : new PeerRegistered
            {
                At = DateTimeOffset.UtcNow,
                Network = network,
                Peer = $"peer-{peer}",
                PublicEndpoint = publicEndpoint,
                Candidates = [$"host 10.0.{(i >> 8) & 0xff}.{i & 0xff}:5000"],
                Nat = new(),
            };
    }
}
