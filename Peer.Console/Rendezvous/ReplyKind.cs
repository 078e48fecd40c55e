namespace Punch.Peer.Rendezvous;

internal enum ReplyKind
{
    Success,
    Error,
    /// <summary>Every retransmission went unanswered.</summary>
    NoAnswer,
}
