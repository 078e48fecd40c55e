using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>
/// What handling one request produced: the answer's length in the reply buffer, and the peer whose
/// waiting sessions may be introduced once that answer is sent (a registration, or a reported mapping).
/// Returned rather than handed over on the side, so the order "answer, then introduce" is visible in one place.
/// </summary>
public readonly record struct HandlerReply(int Length, PeerIdentity? ThenIntroduce = null)
{
    /// <summary>An answer with nothing to follow: most handlers return just the length they wrote.</summary>
    public static implicit operator HandlerReply(int length) => new(length);
}
