using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>
/// The server accepted us; <see cref="Mapping"/> is how our NAT maps the socket, measured against the server's probe port,
/// <see cref="Nat"/> what discovery found of the rest by then (the server has both).
/// </summary>
public sealed record RegisteredEvent(PeerIdentity Identity, IPEndPoint PublicEndPoint, TimeSpan Lifetime, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default) : PeerEvent
{
    public override string EventName => "registered";
}
