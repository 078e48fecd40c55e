using System.Collections.Immutable;
using System.Net;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>
/// A live registration. <paramref name="MappedCandidates"/>: ports the peer's router mapped for it (empty when none).
/// <paramref name="OtherFamilyReflexive"/>: its public endpoint in the family it did not register over, as our other-family
/// endpoint saw it (<see cref="RendezvousEndpoint.OtherFamilyThan"/>); null when it has none.
/// </summary>
public sealed record RegisteredPeer(PeerIdentity Identity, IPEndPoint PublicEndPoint, ImmutableArray<IPEndPoint> HostCandidates, DateTimeOffset RegisteredAt, DateTimeOffset ExpiresAt, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default,
    ImmutableArray<IPEndPoint> MappedCandidates = default, IPEndPoint? OtherFamilyReflexive = null)
{
    /// <summary>Whether the peer's router holds a port mapping for it (the dashboard's chip).</summary>
    public bool HasPortMapping => !MappedCandidates.IsDefaultOrEmpty;

    /// <summary>When the dashboard last heard of this registration (its Registered or Refreshed event).</summary>
    public DateTimeOffset Reported { get; init; }
}
