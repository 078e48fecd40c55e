using Punch.Core.Protocol;
using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary>The end-to-end encrypted stream connection with a peer is up (keys agreed).</summary>
public sealed record StreamsUpEvent(string Peer, SessionId SessionId) : PeerEvent
{
    public override string EventName => "streams";
}
