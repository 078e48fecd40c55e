using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>NAT behaviour discovery at start-up is over (RFC 5780 against the rendezvous server); <see cref="Notes"/> say why a part stayed unknown.</summary>
public sealed record NatDiscoveredEvent(NatReport Nat, IReadOnlyList<string> Notes) : PeerEvent
{
    public override string EventName => "nat";
}
