using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>Something did not work; <see cref="Peer"/> and <see cref="SessionId"/> are set when it concerns one session.</summary>
public sealed record FailedEvent(string Reason, string? Peer = null, SessionId? SessionId = null) : PeerEvent
{
    public override string EventName => "failed";
}
