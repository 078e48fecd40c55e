namespace Punch.Server.Storage;

/// <summary>The event log's bookkeeping since start, under <c>storage</c> in <c>GET /api/stats</c>.</summary>
public sealed record StorageCounters(
    long EventsPersisted,
    // Events refused because the writer's queue was full (the same count as <c>rendezvous.eventsDropped</c>).
    long EventsDropped,
    long EventsPruned,
    long SessionsPruned,
    long PeersPruned,
    long PruneRuns,
    DateTimeOffset? LastPruneAt,
    double? LastPruneMs,
    TimeSpan Retention,
    long MaxEvents);
