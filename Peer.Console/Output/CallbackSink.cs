namespace Punch.Peer.Output;

/// <summary>Adapts a callback to a sink.</summary>
internal sealed class CallbackSink(Action<PeerEvent> callback) : IPeerEventSink
{
    public void Emit(PeerEvent peerEvent) => callback(peerEvent);
}
