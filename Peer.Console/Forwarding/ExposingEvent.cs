using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary><c>punch expose</c> is registered and hands every stream a peer opens to <see cref="Local"/>.</summary>
public sealed record ExposingEvent(string Name, string Local) : PeerEvent
{
    public override string EventName => "exposing";
}
