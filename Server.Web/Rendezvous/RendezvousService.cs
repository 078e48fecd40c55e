using System.Net;
using Microsoft.Extensions.Options;

namespace Punch.Server.Rendezvous;

/// <summary>Where the rendezvous actually listens (after binding port 0, the port the OS chose).</summary>
public sealed class RendezvousEndpoint
{
    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>The probe port's endpoint, when one is configured.</summary>
    public IPEndPoint? ProbeEndPoint { get; internal set; }
}

/// <summary>
/// The rendezvous socket (and the optional probe socket), each with its own receive loop, and a
/// timer for retransmissions and expiry. Slow work (database, browser) is behind the bounded event
/// channel, so nothing here waits on it.
/// </summary>
public sealed class RendezvousService(
    IOptions<RendezvousOptions> options,
    RendezvousHandler handler,
    RendezvousStats stats,
    RendezvousEndpoint endpoint,
    SourceRateLimiter limiter,
    Relay.RelayForwarder relay,
    TimeProvider time,
    ILogger<RendezvousService> logger) : IHostedService, IDisposable
{
    private UdpReceiveLoop? _main;
    private UdpReceiveLoop? _probe;
    private ITimer? _tick;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var admission = settings.RateLimit.Enabled ? limiter : null;
        _main = UdpReceiveLoop.Start(settings.BindEndPoint, "Rendezvous:Port", handler.Handle, stats, admission, logger, relay.TryForward);
        endpoint.LocalEndPoint = _main.LocalEndPoint;
        if (settings.AlternatePort is { } probePort)
        {
            _probe = UdpReceiveLoop.Start(new IPEndPoint(settings.BindEndPoint.Address, probePort), "Rendezvous:AlternatePort", handler.HandleProbe, stats, admission, logger);
            endpoint.ProbeEndPoint = _probe.LocalEndPoint;
        }
        else
        {
            RendezvousLog.NoAlternatePort(logger);
        }

        _tick = time.CreateTimer(_ => Tick(), null, settings.TickInterval, settings.TickInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tick?.Dispose();
        if (_main is { } main)
        {
            int told = handler.SayGoodbye(main);
            RendezvousLog.SaidGoodbye(logger, told);
        }

        _probe?.Stop();
        _main?.Stop();
        RendezvousLog.Stopped(logger);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tick?.Dispose();
        _probe?.Dispose();
        _main?.Dispose();
    }

    private void Tick()
    {
        try
        {
            if (_main is { } main)
            {
                handler.Tick(main);
            }
        }
        catch (Exception ex)
        {
            RendezvousLog.TickFailed(logger, ex);
        }
    }
}
