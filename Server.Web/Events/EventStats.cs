using System.Diagnostics.Metrics;
using Punch.Server.Telemetry;

namespace Punch.Server.Events;

/// <summary>
/// The event pipeline's instrument of the meter <see cref="ServerMeter.Name"/>: events the full queue
/// refused (<c>punch.events.dropped</c>). <c>/metrics</c> exports it; the API, the dashboard and the
/// writer's log read the same total back through <see cref="ServerMeter"/>.
/// </summary>
public sealed class EventStats : IFixedSeries
{
    private readonly ServerMeter _meter;
    private readonly Counter<long> _dropped;

    public EventStats(ServerMeter meter)
    {
        _meter = meter;
        _dropped = meter.Meter.CreateCounter<long>("punch.events.dropped", "{event}", "Events refused because the writer's queue was full");
        // Now as well as at start: the reader's cell of the series then exists, so the first drop allocates nothing.
        PublishZeros();
    }

    public void EventDropped() => _dropped.Add(1);

    /// <summary>Events the full queue refused since start.</summary>
    public long EventsDropped => _meter.Total(_dropped);

    public void PublishZeros() => _dropped.Add(0);
}
