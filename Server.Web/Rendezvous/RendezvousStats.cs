namespace Punch.Server.Rendezvous;

/// <summary>Counters of the UDP side, bumped by the receive loop with Interlocked and read by the API and dashboard.</summary>
public sealed class RendezvousStats
{
    private long _received;
    private long _sent;
    private long _malformed;
    private long _bindingRequests;
    private long _eventsDropped;

    public void Received() => Interlocked.Increment(ref _received);
    public void Sent() => Interlocked.Increment(ref _sent);
    public void Malformed() => Interlocked.Increment(ref _malformed);
    public void BindingRequest() => Interlocked.Increment(ref _bindingRequests);
    public void EventDropped() => Interlocked.Increment(ref _eventsDropped);

    public RendezvousCounters Snapshot() => new(
        Interlocked.Read(ref _received),
        Interlocked.Read(ref _sent),
        Interlocked.Read(ref _malformed),
        Interlocked.Read(ref _bindingRequests),
        Interlocked.Read(ref _eventsDropped));
}

public sealed record RendezvousCounters(long DatagramsReceived, long DatagramsSent, long MalformedDropped, long BindingRequests, long EventsDropped);
