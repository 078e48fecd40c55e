using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard;

/// <summary>
/// The last day of the server's counters, one sample on each whole minute in a ring (1,440 samples of six numbers: a
/// fixed 70 kB), so the Overview can chart registrations, datagrams in, out and dropped, and relay bytes
/// per minute or per half hour. The counters live in memory and start at zero with the process, so the
/// history does too: it covers the time since the server started, at most a day.
/// </summary>
public sealed class TrafficHistory : BackgroundService
{
    private const int Capacity = 24 * 60 + 1;
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly RendezvousStats _rendezvous;
    private readonly RelayStats _relay;
    private readonly TimeProvider _time;
    private readonly TrafficSample[] _ring = new TrafficSample[Capacity];
    private readonly Lock _lock = new();
    private int _count;
    private int _next;

    public TrafficHistory(RendezvousStats rendezvous, RelayStats relay, TimeProvider time)
    {
        _rendezvous = rendezvous;
        _relay = relay;
        _time = time;
        Record();
    }

    /// <summary>The totals now (not stored).</summary>
    public TrafficSample Current()
    {
        var rendezvous = _rendezvous.Snapshot();
        return new TrafficSample(
            _time.GetUtcNow(),
            rendezvous.Registrations.Values.Sum(),
            rendezvous.DatagramsReceived,
            rendezvous.DatagramsSent,
            rendezvous.MalformedDropped + rendezvous.Limits.RateLimited,
            _relay.Snapshot().BytesForwarded);
    }

    /// <summary>Stores the totals now; the loop calls it once a minute.</summary>
    public void Record()
    {
        var sample = Current();
        lock (_lock)
        {
            _ring[_next] = sample;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>
    /// What happened in each bucket of <paramref name="window"/>: the totals at its end (or now, for the current
    /// one) minus the totals at its start (or at the first sample, when the server started inside it); zero
    /// for buckets before the first sample.
    /// </summary>
    public IReadOnlyList<TrafficSample> Buckets(ActivityWindow window)
    {
        var now = Current();
        var start = window.Start(now.At);
        TrafficSample[] samples;
        lock (_lock)
        {
            samples = [.. Enumerable.Range(0, _count).Select(i => _ring[(_next - _count + i + Capacity) % Capacity])];
        }

        var buckets = new TrafficSample[window.Buckets()];
        for (int i = 0; i < buckets.Length; i++)
        {
            var from = start + i * window.Bucket();
            var to = from + window.Bucket();
            var atStart = LastAtOrBefore(samples, from) ?? FirstBefore(samples, to);
            var atEnd = to > now.At ? now : LastAtOrBefore(samples, to);
            buckets[i] = atStart is { } first && atEnd is { } last && last.At >= first.At
                ? (last - first) with { At = from }
                : new TrafficSample(from, 0, 0, 0, 0, 0);
        }

        return buckets;
    }

    /// <summary>Samples on each whole minute, so a chart's minute bucket holds exactly that minute (the first one: from the start).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                long now = _time.GetUtcNow().UtcTicks;
                long next = (now / Interval.Ticks + 1) * Interval.Ticks;
                await Task.Delay(TimeSpan.FromTicks(next - now), _time, stoppingToken);
                Record();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped; also when a refused start stops the host before its services ran (the host would log the
            // cancellation with a stack trace, and a refused start is one line).
        }
    }

    private static TrafficSample? LastAtOrBefore(TrafficSample[] samples, DateTimeOffset at)
    {
        TrafficSample? found = null;
        foreach (var sample in samples)
        {
            if (sample.At <= at)
            {
                found = sample;
            }
        }

        return found;
    }

    private static TrafficSample? FirstBefore(TrafficSample[] samples, DateTimeOffset at) =>
        samples.Length > 0 && samples[0].At < at ? samples[0] : null;
}
