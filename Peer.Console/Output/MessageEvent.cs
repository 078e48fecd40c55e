using Punch.Core.Protocol;

namespace Punch.Peer.Output;

public sealed record MessageEvent(string Peer, SessionId SessionId, string Text) : PeerEvent
{
    public override string EventName => "message";
}
