namespace Punch.Peer.Output;

/// <summary>Worth knowing but not fatal (the server stopped answering refreshes, a message was never acknowledged).</summary>
public sealed record WarningEvent(string Text) : PeerEvent
{
    public override string EventName => "warning";
}
