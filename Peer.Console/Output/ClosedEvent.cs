using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>A session ended (either side closed it), or, without a peer, this peer left the server.</summary>
public sealed record ClosedEvent(string Reason, string? Peer = null, SessionId? SessionId = null) : PeerEvent
{
    public override string EventName => "closed";
}
