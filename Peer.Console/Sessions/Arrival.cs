namespace Punch.Peer.Sessions;

/// <summary>What to do with an arriving chat line.</summary>
/// <param name="Acknowledge">Send a MessageAck: the line is delivered or held, so the sender may stop retransmitting it.</param>
/// <param name="Deliverable">Lines now ready for the application, in sequence order (this one and any held ones it unblocked).</param>
internal readonly record struct Arrival(bool Acknowledge, IReadOnlyList<string> Deliverable);
