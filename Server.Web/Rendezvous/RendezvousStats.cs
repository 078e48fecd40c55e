namespace Punch.Server.Rendezvous;

/// <summary>Counters of the UDP side, bumped by the receive loop with Interlocked and read by the API and dashboard.</summary>
public sealed class RendezvousStats
{
    private long _received;
    private long _sent;
    private long _malformed;
    private long _bindingRequests;
    private long _eventsDropped;
    private long _rateLimited;
    private long _rateLimitEvictions;
    private long _peersRefused;
    private long _peersPerNetworkRefused;
    private long _peersPerAddressRefused;
    private long _sessionsRefused;
    private long _pendingConnectsRefused;
    private long _pendingConnectsPerPeerRefused;
    private long _relayAllocationsRefused;
    private long _relayRateExceeded;
    private long _relayTotalReached;
    private long _relayIdle;
    private long _sessionsPerAddressRefused;
    private long _relayAllocationsPerAddressRefused;
    private long _punchTimeouts;
    private long _addressChallenges;

    public void Received() => Interlocked.Increment(ref _received);
    public void Sent() => Interlocked.Increment(ref _sent);
    public void Malformed() => Interlocked.Increment(ref _malformed);
    public void BindingRequest() => Interlocked.Increment(ref _bindingRequests);
    public void EventDropped() => Interlocked.Increment(ref _eventsDropped);

    /// <summary>Events the full queue refused since start (what <see cref="Snapshot"/> reports, without the allocation).</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    /// <summary>A datagram dropped before parsing: its source address had no token left.</summary>
    public void RateLimited() => Interlocked.Increment(ref _rateLimited);

    /// <summary>A recently active source lost its rate-limit slot to a new one (the table is under pressure).</summary>
    public void RateLimitEviction() => Interlocked.Increment(ref _rateLimitEvictions);

    public void Refused(LimitKind limit) => Interlocked.Increment(ref CounterOf(limit));

    public RendezvousCounters Snapshot() => new(
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _bindingRequests),
        Interlocked.Read(ref _eventsDropped),
        new LimitCounters(
            Interlocked.Read(ref _rateLimited),
            Interlocked.Read(ref _rateLimitEvictions),
            Interlocked.Read(ref _peersRefused),
            Interlocked.Read(ref _peersPerNetworkRefused),
            Interlocked.Read(ref _peersPerAddressRefused),
            Interlocked.Read(ref _sessionsRefused),
            Interlocked.Read(ref _pendingConnectsRefused),
            Interlocked.Read(ref _pendingConnectsPerPeerRefused),
            Interlocked.Read(ref _relayAllocationsRefused),
            Interlocked.Read(ref _relayRateExceeded),
            Interlocked.Read(ref _relayTotalReached),
            Interlocked.Read(ref _relayIdle),
            Interlocked.Read(ref _sessionsPerAddressRefused),
            Interlocked.Read(ref _relayAllocationsPerAddressRefused),
            Interlocked.Read(ref _punchTimeouts),
            Interlocked.Read(ref _addressChallenges)));

    private ref long CounterOf(LimitKind limit)
    {
        switch (limit)
        {
            case LimitKind.Peers: return ref _peersRefused;
            case LimitKind.PeersPerNetwork: return ref _peersPerNetworkRefused;
            case LimitKind.PeersPerAddress: return ref _peersPerAddressRefused;
            case LimitKind.Sessions: return ref _sessionsRefused;
            case LimitKind.PendingConnects: return ref _pendingConnectsRefused;
            case LimitKind.PendingConnectsPerPeer: return ref _pendingConnectsPerPeerRefused;
            case LimitKind.RelayAllocations: return ref _relayAllocationsRefused;
            case LimitKind.RelayBytesPerSecond: return ref _relayRateExceeded;
            case LimitKind.RelayTotalBytes: return ref _relayTotalReached;
            case LimitKind.RelayIdle: return ref _relayIdle;
            case LimitKind.SessionsPerAddress: return ref _sessionsPerAddressRefused;
            case LimitKind.RelayAllocationsPerAddress: return ref _relayAllocationsPerAddressRefused;
            case LimitKind.PunchTimeout: return ref _punchTimeouts;
            case LimitKind.AddressUnproven: return ref _addressChallenges;
            default: throw new ArgumentOutOfRangeException(nameof(limit), limit, null);
        }
    }
}

public sealed record RendezvousCounters(long DatagramsReceived, long DatagramsSent, long MalformedDropped, long BindingRequests, long EventsDropped, LimitCounters Limits);

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
