namespace Punch.Peer.Output;

/// <summary>Where a peer's events go. Implementations must be safe to call from any thread.</summary>
public interface IPeerEventSink
{
    void Emit(PeerEvent peerEvent);
}

/// <summary>Sends every event to several sinks (the console writer and, in tests, a collector).</summary>
internal sealed class FanOutSink(IReadOnlyList<IPeerEventSink> sinks) : IPeerEventSink
{
    public void Emit(PeerEvent peerEvent)
    {
        foreach (var sink in sinks)
        {
            sink.Emit(peerEvent);
        }
    }
}

/// <summary>Adapts a callback to a sink.</summary>
internal sealed class CallbackSink(Action<PeerEvent> callback) : IPeerEventSink
{
    public void Emit(PeerEvent peerEvent) => callback(peerEvent);
}
