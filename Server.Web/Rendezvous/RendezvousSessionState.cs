namespace Punch.Server.Rendezvous;

public enum RendezvousSessionState
{
    /// <summary>Asked for; waiting for the target to register.</summary>
    Requested,
    /// <summary>Introductions sent, not yet acknowledged by both.</summary>
    Introduced,
    /// <summary>Both acknowledged: the peers are checking.</summary>
    Punching,
    /// <summary>
    /// A side reported a path up, relayed or direct. The other side may still be waiting for its
    /// introduction (lost, being retransmitted): a relayed path comes up within a round trip of one
    /// side's introduction, so retransmission goes on in this state too.
    /// </summary>
    Connected,
    Failed,
    Closed,
}
