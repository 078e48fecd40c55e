using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Storage;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Storage;

/// <summary>The Overview's session charts from the real SQLite file: outcomes per bucket, time to direct in bins and percentiles.</summary>
public sealed class ActivityQueriesTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sessions_land_in_the_current_bucket_by_outcome_and_direct_times_in_their_bins()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);
        foreach (var (name, elapsed) in new[] { ("a", 30.0), ("b", 120.0), ("c", 3000.0) })
        {
            var session = await peers.StartPunchingAsync("q", name, "z");
            await peers.CompleteDirectAsync("q", name, "z", session, elapsed);
        }

        var relayed = await peers.StartPunchingAsync("q", "r", "z");
        await peers.CompleteRelayedAsync("q", "r", "z", relayed);
        var failed = await peers.StartPunchingAsync("q", "f", "z");
        await peers.FailAsync("q", "f", "z", failed, "no answer");
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind IN ('PathUp', 'Failed')"), n => n == 9, "the outcomes stored");

        foreach (var window in new[] { ActivityWindow.Hour, ActivityWindow.Day })
        {
            var activity = await app.Services.GetRequiredService<ActivityQueries>().GetSessionsAsync(window, CancellationToken.None);

            Assert.Equal(window.Buckets(), activity.Direct.Count);
            // The newest buckets (the run may cross a minute boundary), none before them.
            Assert.Equal((3, 1, 1), (activity.Direct.TakeLast(2).Sum(), activity.Relayed.TakeLast(2).Sum(), activity.Failed.TakeLast(2).Sum()));
            Assert.Equal((3, 1, 1), (activity.Direct.Sum(), activity.Relayed.Sum(), activity.Failed.Sum()));
            // Bins: ≤50, ≤100, ≤250, ≤500, ≤1 s, ≤2 s, ≤5 s, ≤10 s, more.
            Assert.Equal([1, 0, 1, 0, 0, 0, 1, 0, 0], activity.TimeToDirect);
            Assert.Equal((120.0, 3000.0, 3000.0), (activity.TimeToDirectP50Ms, activity.TimeToDirectP90Ms, activity.TimeToDirectP99Ms));
        }
    }

    [Theory]
    [InlineData(0.5, 2.0)]
    [InlineData(0.9, 4.0)]
    [InlineData(0.99, 4.0)]
    [InlineData(0.25, 1.0)]
    public void Percentiles_are_nearest_rank(double fraction, double expected) =>
        Assert.Equal(expected, ActivityQueries.Percentile([1.0, 2.0, 3.0, 4.0], fraction));
}
