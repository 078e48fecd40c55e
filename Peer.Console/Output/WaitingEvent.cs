namespace Punch.Peer.Output;

public sealed record WaitingEvent(string Peer) : PeerEvent
{
    public override string EventName => "waiting";
}
