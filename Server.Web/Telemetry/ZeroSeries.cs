namespace Punch.Server.Telemetry;

/// <summary>
/// Starts the counters' fixed series at 0 (the observable ones report 0 by themselves). A hosted
/// service registered right after OpenTelemetry's: hosted services start in order, so the exporters
/// listen by then and see the zeros.
/// </summary>
public sealed class ZeroSeries(IEnumerable<IFixedSeries> series) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var fixedSeries in series)
        {
            fixedSeries.PublishZeros();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
