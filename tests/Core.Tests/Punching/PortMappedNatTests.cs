using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Core.Tests.Punching;

/// <summary>A router's port mapping makes its side open for the strategy: both symmetric is no longer impossible.</summary>
public sealed class PortMappedNatTests
{
    private static readonly NatType Symmetric = new(NatMapping.EndpointDependent, NatBehaviour.AddressAndPortDependent);

    [Fact]
    public void A_mapped_candidate_turns_two_symmetric_nats_into_a_regular_punch_from_both_sides()
    {
        Candidate[] withMapping = [new(CandidateKind.ServerReflexive, IPEndPoint.Parse("198.51.100.1:5000")), new(CandidateKind.Mapped, IPEndPoint.Parse("198.51.100.1:40000"))];
        Candidate[] without = [new(CandidateKind.ServerReflexive, IPEndPoint.Parse("198.51.100.9:6000"))];
        Assert.Equal(PunchStrategy.Impossible, PunchStrategies.Choose(Symmetric, PortMappedNat.Remote(Symmetric, without)));

        // The side without a mapping sees the peer's mapped candidate; the side with one knows its own.
        Assert.Equal(PunchStrategy.Regular, PunchStrategies.Choose(PortMappedNat.Local(Symmetric, hasMapping: false), PortMappedNat.Remote(Symmetric, withMapping)));
        Assert.Equal(PunchStrategy.Regular, PunchStrategies.Choose(PortMappedNat.Local(Symmetric, hasMapping: true), PortMappedNat.Remote(Symmetric, without)));
    }
}
