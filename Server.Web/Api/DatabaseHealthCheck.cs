using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Punch.Server.Events;
using Punch.Server.Storage;

namespace Punch.Server.Api;

/// <summary>Healthy when the database answers a query.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<PunchDbContext> contextFactory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
            await db.Peers.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", ex);
        }
    }
}

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
