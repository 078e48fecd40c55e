namespace Punch.Peer.Output;

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
