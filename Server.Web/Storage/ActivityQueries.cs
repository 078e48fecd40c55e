using Microsoft.EntityFrameworkCore;

namespace Punch.Server.Storage;

/// <summary>The Overview's session charts, read from the Sessions table through its RequestedAt index.</summary>
public sealed class ActivityQueries(IDbContextFactory<PunchDbContext> contextFactory, TimeProvider time)
{
    /// <summary>The most sessions one chart reads, the newest of its window (<see cref="NewestSessions.Max"/>).</summary>
    public const int MaxSessions = NewestSessions.Max;

    public async Task<SessionActivity> GetSessionsAsync(ActivityWindow window, CancellationToken cancellationToken)
    {
        var start = window.Start(time.GetUtcNow());
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (rows, capped) = await NewestSessions.ReadAsync(db.Sessions.Where(s => s.RequestedAt >= start),
            s => new SessionTiming(s.RequestedAt, s.State, s.PathKind, s.IntroducedAt ?? s.RequestedAt, s.TimeToConnectMs, s.PathChangedAt, s.PathChanges),
            cancellationToken);

        int buckets = window.Buckets();
        int[] direct = new int[buckets], relayed = new int[buckets], failed = new int[buckets];
        int[] histogram = new int[SessionActivity.TimeToDirectBounds.Count + 1];
        var times = new List<double>();
        foreach (var row in rows)
        {
            int bucket = window.BucketOf(start, row.RequestedAt);
            if (bucket < 0)
            {
                continue;
            }

            switch (row.PathKind)
            {
                case "direct":
                    direct[bucket]++;
                    if (row.TimeToDirectMs is { } ms)
                    {
                        times.Add(ms);
                        histogram[BinOf(ms)]++;
                    }

                    break;
                case "relayed":
                    relayed[bucket]++;
                    break;
                case null when row.State == SessionState.Failed:
                    failed[bucket]++;
                    break;
            }
        }

        times.Sort();
        return new SessionActivity(start, window.Bucket(), direct, relayed, failed, histogram)
        {
            TimeToDirectP50Ms = Percentile(times, 0.50),
            TimeToDirectP90Ms = Percentile(times, 0.90),
            TimeToDirectP99Ms = Percentile(times, 0.99),
            Capped = capped,
        };
    }

    private static int BinOf(double milliseconds)
    {
        var bounds = SessionActivity.TimeToDirectBounds;
        for (int i = 0; i < bounds.Count; i++)
        {
            if (milliseconds <= bounds[i])
            {
                return i;
            }
        }

        return bounds.Count;
    }

    /// <summary>Nearest-rank percentile of sorted values; null when there are none.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
