using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Punch.Server.Storage;

/// <summary>
/// Keeps the event log bounded: every <see cref="StorageOptions.PruneInterval"/> it deletes events
/// older than <see cref="StorageOptions.Retention"/> and the oldest beyond
/// <see cref="StorageOptions.MaxEvents"/>, then the closed sessions and offline peers no remaining
/// event describes. Each DELETE takes at most <see cref="StorageOptions.PruneBatchSize"/> rows, one
/// short write transaction, with a pause after it: the event writer (the only other writer) waits
/// for the lock at most one batch long, and in WAL mode readers never wait.
/// </summary>
public sealed partial class EventPruner(
    IDbContextFactory<PunchDbContext> contextFactory,
    IOptions<StorageOptions> options,
    StorageStats stats,
    TimeProvider time,
    ILogger<EventPruner> logger) : BackgroundService
{
    private readonly StorageOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // SQLite's async calls complete synchronously: without this the first run would hold up the start of the services after it.
        await Task.Yield();
        using var timer = new PeriodicTimer(_options.PruneInterval, time);
        try
        {
            do
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is SqliteException or InvalidOperationException or DbUpdateException)
                {
                    // A busy or full disk: the next run tries again, nothing is lost by waiting.
                    LogPruneFailed(logger, ex, _options.PruneInterval);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: a run stops between batches; every batch was its own transaction.
        }
    }

    /// <summary>One run: what it deleted.</summary>
    public async Task<PruneResult> PruneAsync(CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var cutoff = (time.GetUtcNow() - _options.Retention).UtcTicks;
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);

        // Ids grow with time (one writer, in publish order): the oldest rows by id are the old ones.
        // Only the oldest batch is looked at, so a run that finds nothing old reads PruneBatchSize rows, not the table.
        long events = await DeleteInBatchesAsync(db, limit =>
            $"DELETE FROM Events WHERE Id IN (SELECT Id FROM (SELECT Id, At FROM Events ORDER BY Id LIMIT {limit}) WHERE At < {cutoff})", long.MaxValue, cancellationToken);

        long count = await db.Events.LongCountAsync(cancellationToken);
        long excess = count - _options.MaxEvents;
        if (excess > 0)
        {
            events += await DeleteInBatchesAsync(db, limit =>
                $"DELETE FROM Events WHERE Id IN (SELECT Id FROM Events ORDER BY Id LIMIT {limit})", excess, cancellationToken);
        }

        // A session goes with its last event once it is over, or once it is older than the retention
        // (a session whose peers vanished never reports its end).
        long sessions = await DeleteInBatchesAsync(db, limit =>
            $"DELETE FROM Sessions WHERE Id IN (SELECT s.Id FROM Sessions s WHERE (s.State IN ('Failed', 'Closed') OR s.RequestedAt < {cutoff}) AND NOT EXISTS (SELECT 1 FROM Events e WHERE e.SessionId = s.Id) LIMIT {limit})",
            long.MaxValue, cancellationToken);

        // Each registration or refresh sets LastSeen to its event's time: an offline peer last seen
        // before the oldest event kept (or before the retention) has no event left.
        var oldestKept = await db.Database.SqlQuery<long>($"SELECT At AS Value FROM Events ORDER BY Id LIMIT 1").ToListAsync(cancellationToken);
        long peerCutoff = oldestKept.Count == 0 ? cutoff : Math.Max(cutoff, oldestKept[0]);
        long peers = await DeleteInBatchesAsync(db, limit =>
            $"DELETE FROM Peers WHERE Id IN (SELECT Id FROM Peers WHERE Online = 0 AND LastSeen < {peerCutoff} LIMIT {limit})", long.MaxValue, cancellationToken);

        var result = new PruneResult(events, sessions, peers);
        var took = time.GetElapsedTime(started);
        stats.Pruned(result, time.GetUtcNow(), took);
        if (events + sessions + peers > 0)
        {
            LogPruned(logger, events, sessions, peers, took.TotalMilliseconds);
        }

        return result;
    }

    /// <summary>Runs a DELETE of at most a batch until it deletes less than asked or <paramref name="most"/> rows are gone.</summary>
    private async Task<long> DeleteInBatchesAsync(PunchDbContext db, Func<int, FormattableString> delete, long most, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (deleted < most)
        {
            int limit = (int)Math.Min(_options.PruneBatchSize, most - deleted);
            int rows = await db.Database.ExecuteSqlAsync(delete(limit), cancellationToken);
            deleted += rows;
            if (rows < limit)
            {
                break;
            }

            if (_options.PruneBatchPause > TimeSpan.Zero)
            {
                await Task.Delay(_options.PruneBatchPause, time, cancellationToken);
            }
        }

        return deleted;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Events} events, {Sessions} sessions and {Peers} offline peers in {ElapsedMs:F0} ms")]
    private static partial void LogPruned(ILogger logger, long events, long sessions, long peers, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the event log failed; the next run in {Interval} tries again")]
    private static partial void LogPruneFailed(ILogger logger, Exception exception, TimeSpan interval);
}
