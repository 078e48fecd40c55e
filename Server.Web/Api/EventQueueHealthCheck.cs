using Microsoft.Extensions.Diagnostics.HealthChecks;
using Punch.Server.Events;

namespace Punch.Server.Api;

/// <summary>Degraded when the event queue is mostly full: the database is falling behind the rendezvous.</summary>
public sealed class EventQueueHealthCheck(EventChannel queue, Microsoft.Extensions.Options.IOptions<EventsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var capacity = options.Value.Capacity;
        var queued = queue.Count;
        return Task.FromResult(queued * 4 > capacity * 3
            ? HealthCheckResult.Degraded($"{queued} of {capacity} event slots in use.")
            : HealthCheckResult.Healthy($"{queued} events queued."));
    }
}
