using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Output;

/// <summary>
/// The server accepted us; <see cref="Mapping"/> is how our NAT maps the socket, measured against the server's probe port,
/// <see cref="Nat"/> what discovery found of the rest by then (the server has both). <see cref="OtherFamilyPublicEndPoint"/>: our
/// public endpoint in the other IP family, when the server announced an endpoint of that family and it answered.
/// </summary>
public sealed record RegisteredEvent(PeerIdentity Identity, IPEndPoint PublicEndPoint, TimeSpan Lifetime, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default,
    IPEndPoint? OtherFamilyPublicEndPoint = null) : PeerEvent
{
    public override string EventName => "registered";
}
