using System.Collections.Immutable;
using System.Net;
using Punch.Peer.Output;

namespace Punch.Peer.PortMapping;

/// <summary>
/// Holds our router port mapping for the life of the peer: asks once at start (<see cref="PortMapper"/>), renews at
/// half the granted lifetime (RFC 6886 §3.3, RFC 6887 §11.2.1), retries a failed renewal at a quarter of what is left
/// until the mapping expires (then it is lost, and said so), and deletes it on <see cref="StopAsync"/>. Every change of
/// the mapped address goes to <c>changed</c> (the registration sends it to the server). Every wait has a time limit.
/// </summary>
// _stop is never given a timer (no CancelAfter), so it holds nothing to release; StopAsync ends the
// keeper, and the renewal loop may outlive its wait there, so disposing _stop could throw in the loop.
#pragma warning disable CA1001
internal sealed class PortMappingKeeper(
    PortMappingSettings settings, ushort internalPort, TimeProvider time, IPeerEventSink events, Action<ImmutableArray<IPEndPoint>> changed)
#pragma warning restore CA1001
{
    /// <summary>A renewal retried sooner than this would hammer a router that is rebooting.</summary>
    private static readonly TimeSpan MinRetry = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly PortMappingCounters _counters = new();
    private Task _loop = Task.CompletedTask;
    private PortMappingGrant? _grant;
    private IPortMappingClient? _client;

    /// <summary>Gateway answers dropped as malformed or not matching our request.</summary>
    public long DroppedAnswers => _counters.Dropped;

    public void Start() => _loop = Task.Run(RunAsync);

    private async Task RunAsync()
    {
        var clients = settings.CreateClients(_counters);
        PortMappingResult result;
        try
        {
            result = await PortMapper.MapAsync(clients, internalPort, settings.Lifetime, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (result.Grant is not { } grant || result.Client is null)
        {
            changed([]);
            events.Emit(new PortMappingEvent("none", null, null, null, string.Join("; ", result.Attempts.Select(a => $"{PortMappingMethods.Name(a.Method)}: {a.Detail}"))));
            return;
        }

        lock (_stop)
        {
            _grant = grant;
            _client = result.Client;
        }

        changed([grant.External]);
        events.Emit(new PortMappingEvent("mapped", PortMappingMethods.Name(grant.Method), grant.External, grant.Lifetime, "granted"));
        try
        {
            await RenewLoopAsync(result.Client, grant);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task RenewLoopAsync(IPortMappingClient client, PortMappingGrant grant)
    {
        long expires = time.GetTimestamp() + (long)(grant.Lifetime.TotalSeconds * time.TimestampFrequency);
        var wait = grant.Lifetime / 2;
        while (true)
        {
            await Task.Delay(wait, time, _stop.Token);
            var attempt = await client.MapAsync(internalPort, settings.Lifetime, grant, _stop.Token);
            if (attempt.Grant is { } renewed)
            {
                if (!renewed.External.Equals(grant.External))
                {
                    changed([renewed.External]);
                    events.Emit(new PortMappingEvent("moved", PortMappingMethods.Name(renewed.Method), renewed.External, renewed.Lifetime, attempt.Detail));
                }

                lock (_stop)
                {
                    _grant = grant = renewed;
                }

                expires = time.GetTimestamp() + (long)(renewed.Lifetime.TotalSeconds * time.TimestampFrequency);
                wait = renewed.Lifetime / 2;
                continue;
            }

            var left = TimeSpan.FromSeconds((double)(expires - time.GetTimestamp()) / time.TimestampFrequency);
            if (left <= MinRetry)
            {
                lock (_stop)
                {
                    _grant = null;
                }

                changed([]);
                events.Emit(new PortMappingEvent("lost", PortMappingMethods.Name(grant.Method), grant.External, null, $"the router stopped renewing {grant.External} ({attempt.Detail})"));
                return;
            }

            wait = left / 4 < MinRetry ? MinRetry : left / 4;
        }
    }

    /// <summary>Stops renewing and deletes the mapping, waiting for the router at most <paramref name="wait"/>.</summary>
    public async Task StopAsync(TimeSpan wait)
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(wait);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
        }

        PortMappingGrant? grant;
        IPortMappingClient? client;
        lock (_stop)
        {
            grant = _grant;
            client = _client;
            _grant = null;
        }

        if (grant is null || client is null)
        {
            return;
        }

        using var limit = new CancellationTokenSource(wait);
        bool deleted;
        try
        {
            deleted = await client.DeleteAsync(grant, limit.Token).WaitAsync(wait);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            deleted = false;
        }

        events.Emit(new PortMappingEvent(deleted ? "deleted" : "kept", PortMappingMethods.Name(grant.Method), grant.External, null,
            deleted ? "deleted" : "the router did not confirm the delete; the mapping ends with its lifetime"));
    }
}
