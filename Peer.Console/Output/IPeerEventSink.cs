namespace Punch.Peer.Output;

/// <summary>Where a peer's events go. Implementations must be safe to call from any thread.</summary>
public interface IPeerEventSink
{
    void Emit(PeerEvent peerEvent);
}
