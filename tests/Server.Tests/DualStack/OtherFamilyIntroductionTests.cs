using System.Net;
using Punch.Core.Protocol;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.DualStack;

/// <summary>What an introduction offers of a peer's server-reflexive endpoint of the other family.</summary>
public sealed class OtherFamilyIntroductionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private static readonly IPEndPoint Outside6 = IPEndPoint.Parse("[2001:db8::12]:5000");
    private static readonly RegisteredPeer Viewer = new(new PeerIdentity("default", "bob"), IPEndPoint.Parse("[2001:db8:3::2]:4000"), [IPEndPoint.Parse("[2001:db8:3::2]:4000")], Now, Now);

    private static RegisteredPeer Alice(IPEndPoint? otherFamily) => new(new PeerIdentity("default", "alice"), IPEndPoint.Parse("203.0.113.12:40000"),
        [IPEndPoint.Parse("198.18.2.2:5000"), IPEndPoint.Parse("[2001:db8:2::2]:5000")], Now, Now, OtherFamilyReflexive: otherFamily);

    [Fact]
    public void The_other_familys_endpoint_follows_the_server_reflexive_one()
    {
        var candidates = IntroductionCandidates.Of(Alice(Outside6), Viewer);

        Assert.Equal(new Candidate(CandidateKind.ServerReflexive, IPEndPoint.Parse("203.0.113.12:40000")), candidates[0]);
        Assert.Equal(new Candidate(CandidateKind.ServerReflexive, Outside6), candidates[1]);
    }

    [Fact]
    public void Without_NAT66_it_is_a_host_candidate_already_and_is_not_offered_twice()
    {
        var candidates = IntroductionCandidates.Of(Alice(IPEndPoint.Parse("[2001:db8:2::2]:5000")), Viewer);

        Assert.Single(candidates, c => c.EndPoint.Equals(IPEndPoint.Parse("[2001:db8:2::2]:5000")));
        Assert.Equal(CandidateKind.Host, candidates.Single(c => c.EndPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6).Kind);
    }
}
