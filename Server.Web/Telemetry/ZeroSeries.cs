using Punch.Server.Rendezvous;

namespace Punch.Server.Telemetry;

/// <summary>
/// Starts the counters' fixed series at 0 (the observable ones report 0 by themselves). A hosted
/// service registered right after OpenTelemetry's: hosted services start in order, so the exporters
/// listen by then and see the zeros.
/// </summary>
public sealed class ZeroSeries(RendezvousStats rendezvous) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        rendezvous.PublishZeros();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
