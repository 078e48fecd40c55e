using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>All pings of a <c>--count</c> run are answered or given up on.</summary>
public sealed record PingsDoneEvent(string Peer, SessionId SessionId, PingSummary Summary) : PeerEvent
{
    public override string EventName => "done";
}
