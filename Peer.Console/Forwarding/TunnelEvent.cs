using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary>
/// One forwarded TCP connection: <see cref="State"/> is <c>opened</c>, then <c>closed</c> (both sides
/// finished) or <c>failed</c> with <see cref="Reason"/> (a refused local service, a reset, a broken connection).
/// <see cref="BytesIn"/> came from the peer, <see cref="BytesOut"/> went to it.
/// </summary>
public sealed record TunnelEvent(string Peer, ulong Stream, string State, string Endpoint, long BytesIn = 0, long BytesOut = 0, string? Reason = null) : PeerEvent
{
    public override string EventName => "tunnel";
}
