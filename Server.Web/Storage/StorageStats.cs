using System.Diagnostics.Metrics;
using Punch.Server.Events;
using Punch.Server.Telemetry;

namespace Punch.Server.Storage;

/// <summary>
/// What the event writer stored and the pruner deleted, read by the API and the dashboard, and
/// published as System.Diagnostics.Metrics instruments of the meter <see cref="ServerMeter.StorageName"/>
/// (dotnet-counters, OpenTelemetry); the events the full queue dropped are <c>punch.events.dropped</c> of
/// the meter <c>Punch.Server</c> (see <see cref="EventStats"/>).
/// </summary>
public sealed class StorageStats
{
    private long _eventsPersisted;
    private long _eventsPruned;
    private long _sessionsPruned;
    private long _peersPruned;
    private long _pruneRuns;
    private long _lastPruneAtTicks;
    private long _lastPruneMicroseconds;
    private readonly EventStats _events;

    public StorageStats(EventStats events, IMeterFactory meters)
    {
        _events = events;
#pragma warning disable CA2000 // the IMeterFactory owns the meters it creates and disposes them with the host
        var meter = meters.Create(ServerMeter.StorageName);
#pragma warning restore CA2000
        meter.CreateObservableCounter("punch.events.persisted", () => Interlocked.Read(ref _eventsPersisted), "{event}", "Events committed to the database");
        meter.CreateObservableCounter("punch.events.pruned", () => Interlocked.Read(ref _eventsPruned), "{event}", "Events deleted by retention (age or count)");
        meter.CreateObservableCounter("punch.sessions.pruned", () => Interlocked.Read(ref _sessionsPruned), "{session}", "Sessions deleted with their last events");
        meter.CreateObservableCounter("punch.peers.pruned", () => Interlocked.Read(ref _peersPruned), "{peer}", "Offline peers deleted with their last events");
    }

    public void Persisted(int count) => Interlocked.Add(ref _eventsPersisted, count);

    public void Pruned(PruneResult result, DateTimeOffset at, TimeSpan took)
    {
        Interlocked.Add(ref _eventsPruned, result.Events);
        Interlocked.Add(ref _sessionsPruned, result.Sessions);
        Interlocked.Add(ref _peersPruned, result.Peers);
        Interlocked.Increment(ref _pruneRuns);
        Interlocked.Exchange(ref _lastPruneMicroseconds, (long)took.TotalMicroseconds);
        Interlocked.Exchange(ref _lastPruneAtTicks, at.UtcTicks);
    }

    public StorageCounters Snapshot(StorageOptions options)
    {
        long lastAt = Interlocked.Read(ref _lastPruneAtTicks);
        return new StorageCounters(
            Interlocked.Read(ref _eventsPersisted),
            _events.EventsDropped,
            Interlocked.Read(ref _eventsPruned),
            Interlocked.Read(ref _sessionsPruned),
            Interlocked.Read(ref _peersPruned),
            Interlocked.Read(ref _pruneRuns),
            lastAt == 0 ? null : new DateTimeOffset(lastAt, TimeSpan.Zero),
            lastAt == 0 ? null : Interlocked.Read(ref _lastPruneMicroseconds) / 1000.0,
            options.Retention,
            options.MaxEvents);
    }
}
