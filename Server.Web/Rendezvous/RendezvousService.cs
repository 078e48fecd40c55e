using System.Net;
using Microsoft.Extensions.Options;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The rendezvous socket (and the optional probe socket), each with its own receive loop, and a
/// timer for retransmissions and expiry. Slow work (database, browser) is behind the bounded event
/// channel, so nothing here waits on it.
/// </summary>
public sealed class RendezvousService(
    IOptions<RendezvousOptions> options,
    RendezvousHandler handler,
    BindingResponder binding,
    BindingListeners listeners,
    RendezvousStats stats,
    RendezvousEndpoint endpoint,
    SourceRateLimiter limiter,
    IRelayForwarder relay,
    TimeProvider time,
    ILogger<RendezvousService> logger) : IHostedService, IDisposable
{
    private UdpReceiveLoop? _main;
    private UdpReceiveLoop? _probe;
    private readonly List<UdpReceiveLoop> _alternates = [];
    private ITimer? _tick;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var admission = settings.RateLimit.Enabled ? limiter : null;
        stats.ObservePeersOnline(() => handler.PeerCount);
        _main = Listen(settings.BindEndPoint, counters => UdpReceiveLoop.Start(settings.BindEndPoint, "Rendezvous:Port", settings.MainListen, handler.Handle, counters, admission, logger, relay.TryForward));
        endpoint.LocalEndPoint = _main.LocalEndPoint;
        endpoint.PublicV4 = settings.PublicAddressV4 is { Length: > 0 } v4 ? IPAddress.Parse(v4) : null;
        endpoint.PublicV6 = settings.PublicAddressV6 is { Length: > 0 } v6 ? IPAddress.Parse(v6) : null;
        listeners.Set(ListenerCell.Primary, _main, _main.LocalEndPoint);
        if (settings.AlternatePort is { } probePort)
        {
            var probeBind = new IPEndPoint(settings.BindEndPoint.Address, probePort);
            _probe = Listen(probeBind, counters => UdpReceiveLoop.Start(probeBind, "Rendezvous:AlternatePort", binding.HandlerFor(new ListenerCell(false, true)), counters, admission, logger));
            endpoint.ProbeEndPoint = _probe.LocalEndPoint;
            listeners.Set(new ListenerCell(false, true), _probe, _probe.LocalEndPoint);
        }
        else
        {
            RendezvousLog.NoAlternatePort(logger);
        }

        StartAlternateAddress(settings, admission);
        _tick = time.CreateTimer(_ => Tick(), null, settings.TickInterval, settings.TickInterval);
        return Task.CompletedTask;
    }

    /// <summary>RFC 5780 §4.1: the alternate address gets the same ports as the primary (as bound, so port 0 works in tests).</summary>
    private void StartAlternateAddress(RendezvousOptions settings, SourceRateLimiter? admission)
    {
        if (settings.AlternateAddress is not { Length: > 0 } text)
        {
            BindingLog.NoAlternateAddress(logger);
            if (settings.BindEndPoint.Address.Equals(IPAddress.Any) || settings.BindEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                BindingLog.WildcardBind(logger);
            }

            return;
        }

        var alternate = IPAddress.Parse(text);
        var ports = new List<(bool AlternatePort, int Port)> { (false, _main!.LocalEndPoint.Port) };
        if (_probe is not null)
        {
            ports.Add((true, _probe.LocalEndPoint.Port));
        }

        foreach (var (alternatePort, port) in ports)
        {
            var cell = new ListenerCell(true, alternatePort);
            var bind = new IPEndPoint(alternate, port);
            var loop = Listen(bind, counters => UdpReceiveLoop.Start(bind, "Rendezvous:AlternateAddress", binding.HandlerFor(cell), counters, admission, logger));
            _alternates.Add(loop);
            listeners.Set(cell, loop, loop.LocalEndPoint);
        }

        IPEndPoint[] cells = [.. new[] { _main.LocalEndPoint, _probe?.LocalEndPoint }.Concat(_alternates.Select(a => a.LocalEndPoint)).OfType<IPEndPoint>()];
        BindingLog.Discovery(logger, cells);
    }

    /// <summary>Starts a loop whose received datagrams count under its port (known after binding when it asked for port 0).</summary>
    private UdpReceiveLoop Listen(IPEndPoint bind, Func<RendezvousStats, UdpReceiveLoop> start)
    {
        var listenerStats = stats.ForListener(bind);
        var loop = start(listenerStats);
        listenerStats.BoundTo(loop.LocalEndPoint);
        return loop;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _tick?.Dispose();
        if (_main is { } main)
        {
            int told = handler.SayGoodbye(main);
            RendezvousLog.SaidGoodbye(logger, told);
        }

        foreach (var loop in _alternates)
        {
            loop.Stop();
        }

        _probe?.Stop();
        _main?.Stop();
        RendezvousLog.Stopped(logger);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _tick?.Dispose();
        foreach (var loop in _alternates)
        {
            loop.Dispose();
        }

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
