using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Options;
using Punch.Core.Protocol;
using Punch.Server.Telemetry;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The UDP side's instruments of the meter <see cref="ServerMeter.Name"/>: the receive loops, the
/// handler and the relay count here, the API and dashboard read the same instruments' totals
/// (<see cref="Snapshot"/>, through <see cref="ServerMeter"/>), and <c>/metrics</c> exports them.
/// Every label value is a tag built once (ports, reasons, limits, path kinds) or capped
/// (<see cref="NetworkLabels"/>): a datagram costs a counter Add with a cached tag, no allocation
/// (measured: see <c>RendezvousStatsCostTests</c>).
/// </summary>
public sealed class RendezvousStats
{
    private readonly Instruments _instruments;
    // Swapped whole (an array reference is written atomically): a listener bound to port 0 learns its port after binding.
    private volatile KeyValuePair<string, object?>[] _portTags;

    public RendezvousStats(ServerMeter meter, IOptions<TelemetryOptions> options)
    {
        _instruments = new Instruments(meter, options.Value.MaxNetworkLabels);
        _portTags = PortTags(0);
    }

    private RendezvousStats(Instruments instruments, int port)
    {
        _instruments = instruments;
        _portTags = PortTags(port);
    }

    /// <summary>The same instruments, counting received datagrams under the listener's <c>port</c> label.</summary>
    public RendezvousStats ForListener(IPEndPoint bind) => new(_instruments, bind.Port);

    /// <summary>The port the OS chose when the listener asked for port 0.</summary>
    public void BoundTo(IPEndPoint local)
    {
        _portTags = PortTags(local.Port);
        _instruments.Received.Add(0, _portTags);
    }

    public void Received() => _instruments.Received.Add(1, _portTags);
    public void Sent() => _instruments.Sent.Add(1);
    public void Malformed() => _instruments.Dropped.Add(1, _instruments.MalformedTag);
    public void BindingRequest() => _instruments.BindingRequests.Add(1);
    public void EventDropped() => _instruments.EventsDropped.Add(1);

    /// <summary>Events the full queue refused since start (what <see cref="Snapshot"/> reports, without the allocation).</summary>
    public long EventsDropped => _instruments.Meter.Total(_instruments.EventsDropped);

    /// <summary>A datagram dropped before parsing: its source address had no token left.</summary>
    public void RateLimited() => _instruments.Dropped.Add(1, _instruments.RateLimitedTag);

    /// <summary>A recently active source lost its rate-limit slot to a new one (the table is under pressure).</summary>
    public void RateLimitEviction() => _instruments.RateLimitEvictions.Add(1);

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
            _instruments.Sessions.Add(1, relayed ? _instruments.RelayedOutcome : _instruments.DirectOutcome);
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
        foreach (var counter in (Counter<long>[])[i.Sent, i.BindingRequests, i.EventsDropped, i.RateLimitEvictions, i.Introductions])
            counter.Add(0);
        i.Dropped.Add(0, i.MalformedTag);
        i.Dropped.Add(0, i.RateLimitedTag);
        foreach (var outcome in (KeyValuePair<string, object?>[])[i.DirectOutcome, i.RelayedOutcome, i.FailedOutcome])
            i.Sessions.Add(0, outcome);
        foreach (var limit in i.LimitTags)
            i.Refusals.Add(0, limit);
    }

    /// <summary>Publishes <c>punch.peers.online</c>, read from <paramref name="count"/> at each collection.</summary>
    public void ObservePeersOnline(Func<int> count) =>
        _instruments.Meter.Meter.CreateObservableGauge("punch.peers.online", count, "{peer}", "Peers registered right now");

    public RendezvousCounters Snapshot()
    {
        var i = _instruments;
        var meter = i.Meter;
        long Limit(LimitKind kind) => meter.Of(i.Refusals, i.LimitTags[(int)kind].Value!);
        return new RendezvousCounters(
            meter.Total(i.Received),
            meter.Total(i.Sent),
            meter.Of(i.Dropped, DropReason.Malformed),
            meter.Total(i.BindingRequests),
            meter.Total(i.EventsDropped),
            new LimitCounters(
                meter.Of(i.Dropped, DropReason.RateLimited),
                meter.Total(i.RateLimitEvictions),
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
            meter.ByLabel(i.Received),
            meter.ByLabel(i.Registrations),
            meter.Total(i.Introductions),
            meter.ByLabel(i.Sessions));
    }

    private static KeyValuePair<string, object?>[] PortTags(int port) => [new("port", port)];

    /// <summary>The instruments and their cached tags, shared by the per-listener views.</summary>
    private sealed class Instruments
    {
        public Instruments(ServerMeter meter, int maxNetworkLabels)
        {
            Meter = meter;
            var m = meter.Meter;
            Received = m.CreateCounter<long>("punch.datagrams.received", "{datagram}", "UDP datagrams received, by listening port");
            Sent = m.CreateCounter<long>("punch.datagrams.sent", "{datagram}", "UDP datagrams sent (replies, introductions, relayed frames)");
            Dropped = m.CreateCounter<long>("punch.datagrams.dropped", "{datagram}", "Datagrams dropped before handling: malformed or over the per-source rate limit");
            BindingRequests = m.CreateCounter<long>("punch.binding.requests", "{request}", "STUN Binding requests answered");
            EventsDropped = m.CreateCounter<long>("punch.events.dropped", "{event}", "Events refused because the writer's queue was full");
            RateLimitEvictions = m.CreateCounter<long>("punch.rate_limit.evictions", "{source}", "Active sources that lost their rate-limit slot to a new one");
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
        public Counter<long> Received { get; }
        public Counter<long> Sent { get; }
        public Counter<long> Dropped { get; }
        public Counter<long> BindingRequests { get; }
        public Counter<long> EventsDropped { get; }
        public Counter<long> RateLimitEvictions { get; }
        public Counter<long> Refusals { get; }
        public Counter<long> Registrations { get; }
        public Counter<long> Introductions { get; }
        public Counter<long> Sessions { get; }
        public Histogram<double> TimeToPath { get; }
        public NetworkLabels Networks { get; }

        /// <summary>Indexed by <see cref="LimitKind"/>.</summary>
        public KeyValuePair<string, object?>[] LimitTags { get; }

        public KeyValuePair<string, object?> MalformedTag { get; } = new("reason", DropReason.Malformed);
        public KeyValuePair<string, object?> RateLimitedTag { get; } = new("reason", DropReason.RateLimited);
        public KeyValuePair<string, object?> DirectTag { get; } = new("path", SessionOutcomeLabel.Direct);
        public KeyValuePair<string, object?> RelayedTag { get; } = new("path", SessionOutcomeLabel.Relayed);
        public KeyValuePair<string, object?> DirectOutcome { get; } = new("outcome", SessionOutcomeLabel.Direct);
        public KeyValuePair<string, object?> RelayedOutcome { get; } = new("outcome", SessionOutcomeLabel.Relayed);
        public KeyValuePair<string, object?> FailedOutcome { get; } = new("outcome", SessionOutcomeLabel.Failed);
    }
}

/// <summary>The <c>reason</c> label of <c>punch.datagrams.dropped</c>: a fixed set.</summary>
public static class DropReason
{
    public const string Malformed = "malformed";
    public const string RateLimited = "rate_limited";
}

/// <summary>The <c>outcome</c> label of <c>punch.sessions</c> and the <c>path</c> label of <c>punch.time_to_path</c>.</summary>
public static class SessionOutcomeLabel
{
    public const string Direct = "direct";
    public const string Relayed = "relayed";
    public const string Failed = "failed";
}

public sealed record RendezvousCounters(
    long DatagramsReceived,
    long DatagramsSent,
    long MalformedDropped,
    long BindingRequests,
    long EventsDropped,
    LimitCounters Limits,
    /// <summary>Datagrams received by listening port (the port as text).</summary>
    IReadOnlyDictionary<string, long> ReceivedByPort,
    /// <summary>New registrations by network, the first <c>Telemetry:MaxNetworkLabels</c> networks by name, the rest as <c>other</c>.</summary>
    IReadOnlyDictionary<string, long> Registrations,
    long Introductions,
    /// <summary>Sessions by outcome: <c>direct</c>, <c>relayed</c> (the first path) or <c>failed</c>.</summary>
    IReadOnlyDictionary<string, long> Sessions);

/// <summary>Every limit hit since start: datagrams dropped by the rate limit and requests refused by a cap.</summary>
public sealed record LimitCounters(
    long RateLimited,
    long RateLimitEvictions,
    long PeersRefused,
    long PeersPerNetworkRefused,
    long PeersPerAddressRefused,
    long SessionsRefused,
    long PendingConnectsRefused,
    long PendingConnectsPerPeerRefused,
    long RelayAllocationsRefused,
    long RelayRateExceeded,
    long RelayTotalBytesReached,
    long RelayIdleReleased,
    long SessionsPerAddressRefused,
    long RelayAllocationsPerAddressRefused,
    long PunchTimeouts,
    long AddressChallenges);
