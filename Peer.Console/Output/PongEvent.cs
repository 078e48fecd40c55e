using Punch.Core.Protocol;

namespace Punch.Peer.Output;

public sealed record PongEvent(string Peer, SessionId SessionId, uint Sequence, TimeSpan RoundTripTime) : PeerEvent
{
    public override string EventName => "pong";
}
