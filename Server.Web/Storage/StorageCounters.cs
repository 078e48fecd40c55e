using System.Diagnostics.Metrics;

namespace Punch.Server.Storage;

/// <summary>The event log's bookkeeping since start, under <c>storage</c> in <c>GET /api/stats</c>.</summary>
public sealed record StorageCounters(
    long EventsPersisted,
    /// <summary>Events refused because the writer's queue was full (the same count as <c>rendezvous.eventsDropped</c>).</summary>
    long EventsDropped,
    long EventsPruned,
    long SessionsPruned,
    long PeersPruned,
    long PruneRuns,
    DateTimeOffset? LastPruneAt,
    double? LastPruneMs,
    TimeSpan Retention,
    long MaxEvents);
