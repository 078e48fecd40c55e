using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>
/// The single writer: drains the <see cref="EventChannel"/> in batches, stores each batch (events and
/// projections) in one transaction, and hands the stored events, now with ids, to the broadcaster.
/// A batch the database refuses is retried, never dropped. At shutdown it stops the queue and writes
/// everything still in it before returning.
/// </summary>
public sealed partial class EventWriter(
    EventChannel queue,
    StoredEventChannel stored,
    IDbContextFactory<PunchDbContext> contextFactory,
    IOptions<EventsOptions> options,
    StorageStats storageStats,
    EventStats eventStats,
    ILogger<EventWriter> logger) : BackgroundService
{
    private readonly EventsOptions _options = options.Value;
    private long _droppedReported;
    private readonly List<PunchEvent> _batch = new(options.Value.MaxBatchSize);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailableBatchAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StopAsync drains the rest.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        queue.Complete();
        // Let ExecuteAsync finish the batch it is writing (writes are not cancelled), then drain here.
        await base.StopAsync(cancellationToken);

        using var drainDeadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drainDeadline.CancelAfter(_options.ShutdownDrainTimeout);
        var remaining = _batch.Count + queue.Count;
        try
        {
            while (_batch.Count > 0 || queue.Reader.Count > 0)
            {
                await WriteAvailableBatchAsync(drainDeadline.Token);
            }

            LogDrained(logger, remaining);
        }
        catch (OperationCanceledException)
        {
            LogDrainAbandoned(logger, _batch.Count + queue.Count, _options.ShutdownDrainTimeout);
        }
    }

    /// <summary>Takes what is queued (up to a batch) and stores it; retries until stored or <paramref name="retryUntil"/> fires.</summary>
    private async Task WriteAvailableBatchAsync(CancellationToken retryUntil)
    {
        // A batch left over from an interrupted retry goes first: whatever was read from the queue is kept until stored.
        while (_batch.Count < _options.MaxBatchSize && queue.Reader.TryRead(out var next))
        {
            _batch.Add(next);
        }

        if (_batch.Count == 0)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var stopwatch = Stopwatch.StartNew();
                // Not cancellable: a started transaction completes, so an event is either stored or still ours to retry.
                var storedEvents = await StoreAsync(_batch);
                _batch.Clear();
                storageStats.Persisted(storedEvents.Count);
                LogBatchStored(logger, storedEvents.Count, stopwatch.Elapsed.TotalMilliseconds);
                ReportDrops();
                foreach (var storedEvent in storedEvents)
                {
                    if (!stored.TryEnqueue(storedEvent))
                    {
                        LogLiveFeedSkipped(logger, storedEvent.Id);
                    }
                }
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogBatchFailed(logger, ex, _batch.Count, attempt, _options.WriteRetryDelay);
                await Task.Delay(_options.WriteRetryDelay, retryUntil);
            }
        }
    }

    /// <summary>A full queue drops events (counted by the channel); the log says so once per batch that saw new drops, not once per event.</summary>
    private void ReportDrops()
    {
        long dropped = eventStats.EventsDropped;
        if (dropped > _droppedReported)
        {
            LogEventsDropped(logger, dropped - _droppedReported, dropped, _options.Capacity);
            _droppedReported = dropped;
        }
    }

    private async Task<List<StoredEvent>> StoreAsync(IReadOnlyList<PunchEvent> batch)
    {
        await using var db = await contextFactory.CreateDbContextAsync(CancellationToken.None);
        // Changes are detected once, before the save, instead of on every Add.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var projection = await ProjectionBatch.LoadAsync(db, batch, CancellationToken.None);
        var storedEvents = new List<StoredEvent>(batch.Count);
        var connection = db.Database.GetDbConnection();
        using (var insert = new EventInsertCommand(connection, transaction.GetDbTransaction()))
        {
            foreach (var punchEvent in batch)
            {
                var stored = punchEvent.ToStored();
                storedEvents.Add(stored with { Id = insert.Insert(EventRecord.From(stored)) });
                EventProjector.Apply(projection, punchEvent);
            }
        }

        projection.SavePeers(connection, transaction.GetDbTransaction());
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return storedEvents;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Stored {Count} events in {ElapsedMs:F1} ms")]
    private static partial void LogBatchStored(ILogger logger, int count, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event queue was full: {Count} events dropped ({Total} since start); the writer is behind Events:Capacity = {Capacity}")]
    private static partial void LogEventsDropped(ILogger logger, long count, long total, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Storing {Count} events failed (attempt {Attempt}); retrying in {RetryDelay}")]
    private static partial void LogBatchFailed(ILogger logger, Exception exception, int count, int attempt, TimeSpan retryDelay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed is behind; event {EventId} is stored but not broadcast")]
    private static partial void LogLiveFeedSkipped(ILogger logger, long eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event writer stopped; {Count} queued events written at shutdown")]
    private static partial void LogDrained(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event writer gave up at shutdown after {Timeout}; {Count} queued events not written")]
    private static partial void LogDrainAbandoned(ILogger logger, int count, TimeSpan timeout);
}
