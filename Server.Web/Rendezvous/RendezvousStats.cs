using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Options;
using Punch.Core.Protocol;
using Punch.Server.Events;
using Punch.Server.Telemetry;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The UDP side's instruments of the meter <see cref="ServerMeter.Name"/>; <c>/metrics</c> exports
/// them and the API and dashboard read the same values (<see cref="Snapshot"/>). Two kinds, by cost:
/// <list type="bullet">
/// <item>Per datagram (received, sent, dropped, Binding, rate-limit evictions): an Interlocked field
/// each, published as an ObservableCounter that reads that field, and read by <see cref="Snapshot"/>
/// from the same field. A Counter Add with both readers listening cost 15-30 times an Interlocked
/// increment (docs/metrics.md), and under a flood the slower loop let the kernel drop half the
/// datagrams (FloodTests); the field keeps the receive path at the old cost.</item>
/// <item>Per event (registrations, introductions, sessions, refusals): Counter Adds
/// with tags built once or capped (<see cref="NetworkLabels"/>), read back through <see cref="ServerMeter"/>.</item>
/// </list>
/// Either way one value is counted once and both readers see it.
/// </summary>
public sealed class RendezvousStats : IFixedSeries
{
    private readonly Instruments _instruments;
    private readonly DatagramCounts _counts;
    private readonly EventStats _events;
    // Datagrams received by this view's listener: one field per listener, so listeners never contend on it
    // (the SO_REUSEPORT sockets of one listener, one thread each, do share it).
    private long _received;
    // Swapped whole (an array reference is written atomically): a listener bound to port 0 learns its port after binding.
    private volatile KeyValuePair<string, object?>[] _portTags;

    public RendezvousStats(ServerMeter meter, IOptions<TelemetryOptions> options, EventStats events)
    {
        _events = events;
        _counts = new DatagramCounts();
        _instruments = new Instruments(meter, options.Value.MaxNetworkLabels, _counts);
        _portTags = PortTags(0);
        _counts.Listeners.Add(this);
        // Now as well as at start: the reader's cell of each series then exists, so no first count allocates.
        PublishZeros();
    }

    private RendezvousStats(RendezvousStats root, int port)
    {
        _instruments = root._instruments;
        _counts = root._counts;
        _events = root._events;
        _portTags = PortTags(port);
        lock (_counts.Listeners)
        {
            _counts.Listeners.Add(this);
        }
    }

    /// <summary>The same instruments, counting received datagrams under the listener's <c>port</c> label.</summary>
    public RendezvousStats ForListener(IPEndPoint bind) => new(this, bind.Port);

    /// <summary>The port the OS chose when the listener asked for port 0.</summary>
    public void BoundTo(IPEndPoint local) => _portTags = PortTags(local.Port);

    public void Received() => Interlocked.Increment(ref _received);
    public void Sent() => Interlocked.Increment(ref _counts.Sent);
    public void Malformed() => Interlocked.Increment(ref _counts.Malformed);
    public void BindingRequest() => Interlocked.Increment(ref _counts.BindingRequests);
    /// <summary>A datagram dropped before parsing: its source address had no token left.</summary>
    public void RateLimited() => Interlocked.Increment(ref _counts.RateLimited);

    /// <summary>A recently active source lost its rate-limit slot to a new one (the table is under pressure).</summary>
    public void RateLimitEviction() => Interlocked.Increment(ref _counts.RateLimitEvictions);

    public void Refused(LimitKind limit) => _instruments.Refusals.Add(1, _instruments.LimitTags[(int)limit]);

    /// <summary>A new registration (a renewal is not one); the <c>network</c> label is capped.</summary>
    public void Registered(string network) => _instruments.Registrations.Add(1, _instruments.Networks.TagsOf(network));

    /// <summary>A session's introductions went out to both sides.</summary>
    public void Introduced() => _instruments.Introductions.Add(1);

    /// <summary>A session reached a path of this kind, <paramref name="elapsed"/> after its introduction; <paramref name="first"/> counts the session's outcome.</summary>
    public void PathUp(PathKind path, TimeSpan elapsed, bool first)
    {
        bool relayed = path == PathKind.Relayed;
        _instruments.TimeToPath.Record(elapsed.TotalSeconds, relayed ? _instruments.RelayedTag : _instruments.DirectTag);
        if (first)
        {
            _instruments.Sessions.Add(1, relayed ? _instruments.RelayedOutcome : _instruments.DirectOutcome);
        }
    }

    /// <summary>A session ended without ever having a path.</summary>
    public void SessionFailed() => _instruments.Sessions.Add(1, _instruments.FailedOutcome);

    /// <summary>
    /// Every series with a fixed label set starts at 0 (absent series break Prometheus's rate() and alerts).
    /// Called once the exporters listen (see <see cref="ZeroSeries"/>); adding 0 changes no total.
    /// </summary>
    public void PublishZeros()
    {
        var i = _instruments;
        i.Introductions.Add(0);
        foreach (var outcome in (KeyValuePair<string, object?>[])[i.DirectOutcome, i.RelayedOutcome, i.FailedOutcome])
        {
            i.Sessions.Add(0, outcome);
        }

        foreach (var limit in i.LimitTags)
        {
            i.Refusals.Add(0, limit);
        }
    }

    /// <summary>Publishes <c>punch.peers.online</c>, read from <paramref name="count"/> at each collection.</summary>
    public void ObservePeersOnline(Func<int> count) =>
        _instruments.Meter.Meter.CreateObservableGauge("punch.peers.online", count, "{peer}", "Peers registered right now");

    public RendezvousCounters Snapshot()
    {
        var i = _instruments;
        var meter = i.Meter;
        long Limit(LimitKind kind) => meter.Of(i.Refusals, i.LimitTags[(int)kind].Value!);
        var c = _counts;
        var received = c.ReceivedByPort();
        return new RendezvousCounters(
            received.Values.Sum(),
            Interlocked.Read(ref c.Sent),
            Interlocked.Read(ref c.Malformed),
            Interlocked.Read(ref c.BindingRequests),
            _events.EventsDropped,
            new LimitCounters(
                Interlocked.Read(ref c.RateLimited),
                Interlocked.Read(ref c.RateLimitEvictions),
                Limit(LimitKind.Peers),
                Limit(LimitKind.PeersPerNetwork),
                Limit(LimitKind.PeersPerAddress),
                Limit(LimitKind.Sessions),
                Limit(LimitKind.PendingConnects),
                Limit(LimitKind.PendingConnectsPerPeer),
                Limit(LimitKind.RelayAllocations),
                Limit(LimitKind.RelayBytesPerSecond),
                Limit(LimitKind.RelayTotalBytes),
                Limit(LimitKind.RelayIdle),
                Limit(LimitKind.SessionsPerAddress),
                Limit(LimitKind.RelayAllocationsPerAddress),
                Limit(LimitKind.PunchTimeout),
                Limit(LimitKind.AddressUnproven)),
            received.ToDictionary(pair => pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), pair => pair.Value),
            meter.ByLabel(i.Registrations),
            meter.Total(i.Introductions),
            meter.ByLabel(i.Sessions));
    }

    private static KeyValuePair<string, object?>[] PortTags(int port) => [new("port", port)];

    /// <summary>The per-datagram counts: fields, read by their ObservableCounters and by <see cref="Snapshot"/>.</summary>
    private sealed class DatagramCounts
    {
        public long Sent;
        public long Malformed;
        public long RateLimited;
        public long BindingRequests;
        public long RateLimitEvictions;

        /// <summary>The root and every listener's view (a handful; locked when added to or read).</summary>
        public List<RendezvousStats> Listeners { get; } = [];

        /// <summary>By port; listeners on the same port (the alternate address) add up. The root's own count is port 0, shown only when something counted there.</summary>
        public Dictionary<int, long> ReceivedByPort()
        {
            var byPort = new Dictionary<int, long>();
            lock (Listeners)
            {
                foreach (var listener in Listeners)
                {
                    int port = (int)listener._portTags[0].Value!;
                    long count = Interlocked.Read(ref listener._received);
                    if (port != 0 || count != 0)
                    {
                        byPort[port] = byPort.GetValueOrDefault(port) + count;
                    }
                }
            }
            return byPort;
        }

        public IEnumerable<Measurement<long>> ReceivedMeasurements() =>
            ReceivedByPort().Select(pair => new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("port", pair.Key)));

        public IEnumerable<Measurement<long>> DroppedMeasurements() =>
        [
            new(Interlocked.Read(ref Malformed), new KeyValuePair<string, object?>("reason", DropReason.Malformed)),
            new(Interlocked.Read(ref RateLimited), new KeyValuePair<string, object?>("reason", DropReason.RateLimited)),
        ];
    }

    /// <summary>The instruments and their cached tags, shared by the per-listener views.</summary>
    private sealed class Instruments
    {
        public Instruments(ServerMeter meter, int maxNetworkLabels, DatagramCounts counts)
        {
            Meter = meter;
            var m = meter.Meter;
            m.CreateObservableCounter("punch.datagrams.received", counts.ReceivedMeasurements, "{datagram}", "UDP datagrams received, by listening port");
            m.CreateObservableCounter("punch.datagrams.sent", () => Interlocked.Read(ref counts.Sent), "{datagram}", "UDP datagrams sent (replies, introductions, relayed frames)");
            m.CreateObservableCounter("punch.datagrams.dropped", counts.DroppedMeasurements, "{datagram}", "Datagrams dropped before handling: malformed or over the per-source rate limit");
            m.CreateObservableCounter("punch.binding.requests", () => Interlocked.Read(ref counts.BindingRequests), "{request}", "STUN Binding requests answered");
            m.CreateObservableCounter("punch.rate_limit.evictions", () => Interlocked.Read(ref counts.RateLimitEvictions), "{source}", "Active sources that lost their rate-limit slot to a new one");
            Refusals = m.CreateCounter<long>("punch.refusals", "{request}", "Requests refused by a cap, by limit");
            Registrations = m.CreateCounter<long>("punch.registrations", "{registration}", "New registrations, by network (capped, then 'other')");
            Introductions = m.CreateCounter<long>("punch.introductions", "{session}", "Sessions introduced to both sides");
            Sessions = m.CreateCounter<long>("punch.sessions", "{session}", "Sessions by outcome: the first path (direct or relayed), or failed without one");
            TimeToPath = m.CreateHistogram("punch.time_to_path", "s", "From a session's introduction to each new kind of path coming up",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });
            Networks = new NetworkLabels(maxNetworkLabels);
            LimitTags = LabelText.TagsOf<LimitKind>("limit");
        }

        public ServerMeter Meter { get; }
        public Counter<long> Refusals { get; }
        public Counter<long> Registrations { get; }
        public Counter<long> Introductions { get; }
        public Counter<long> Sessions { get; }
        public Histogram<double> TimeToPath { get; }
        public NetworkLabels Networks { get; }

        /// <summary>Indexed by <see cref="LimitKind"/>.</summary>
        public KeyValuePair<string, object?>[] LimitTags { get; }

        public KeyValuePair<string, object?> DirectTag { get; } = new("path", SessionOutcomeLabel.Direct);
        public KeyValuePair<string, object?> RelayedTag { get; } = new("path", SessionOutcomeLabel.Relayed);
        public KeyValuePair<string, object?> DirectOutcome { get; } = new("outcome", SessionOutcomeLabel.Direct);
        public KeyValuePair<string, object?> RelayedOutcome { get; } = new("outcome", SessionOutcomeLabel.Relayed);
        public KeyValuePair<string, object?> FailedOutcome { get; } = new("outcome", SessionOutcomeLabel.Failed);
    }
}
