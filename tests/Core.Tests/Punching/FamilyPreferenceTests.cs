using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Core.Tests.Punching;

/// <summary>IPv6 beside IPv4 in one session: IPv6 pairs are checked first (RFC 8421), and IPv4 NAT types do not rule out an IPv6 path.</summary>
public sealed class FamilyPreferenceTests
{
    private static readonly IPEndPoint BobV6 = new(IPAddress.Parse("2001:db8:2::2"), 2000);

    [Fact]
    public void The_first_check_goes_to_the_IPv6_candidate_though_the_server_listed_IPv4_first()
    {
        var network = new SimulatedNetwork();
        var bobCandidates = new List<Candidate>
        {
            new(CandidateKind.ServerReflexive, PeerPair.Nowhere[0]),
            new(CandidateKind.Host, PeerPair.Nowhere[1]),
            new(CandidateKind.Host, BobV6),
        };
        var alice = network.AddPeer(PeerPair.AliceAddress, PeerPair.Setup(alice: true, bobCandidates));
        var bob = network.AddPeer(BobV6, PeerPair.BobSetup([PeerPair.AliceAddress]));

        network.RunUntil(() => alice.Session.State == PunchState.Connected && bob.Session.State == PunchState.Connected, network.Options.Timeout);

        Assert.Equal(BobV6, alice.Checks().First().Action.To);
        Assert.Equal(BobV6, alice.Session.SelectedRemote);
        // The IPv4 candidates were still in the race (never waited for), just behind.
        Assert.Equal([BobV6, PeerPair.Nowhere[0], PeerPair.Nowhere[1]], alice.Session.Candidates.Select(c => c.EndPoint));
    }

    [Fact]
    public void Two_symmetric_IPv4_NATs_give_up_at_once_unless_the_peer_offers_IPv6()
    {
        var v4Only = new PunchSession(
            PeerPair.Setup(alice: true, [new(CandidateKind.ServerReflexive, PeerPair.BobAddress)], NatMapping.EndpointDependent, NatMapping.EndpointDependent),
            new PunchOptions(), TimeProvider.System);
        var withV6 = new PunchSession(
            PeerPair.Setup(alice: true, [new(CandidateKind.ServerReflexive, PeerPair.BobAddress), new(CandidateKind.Host, BobV6)], NatMapping.EndpointDependent, NatMapping.EndpointDependent),
            new PunchOptions(), TimeProvider.System);

        Assert.Equal(PunchStrategy.Impossible, v4Only.Strategy);
        Assert.Equal(PunchStrategy.Regular, withV6.Strategy);
        Assert.Contains(withV6.OnTimer(), a => a is SendDatagram send && send.To.Equals(BobV6));
    }

    [Theory]
    [InlineData("2001:db8::1", true)]
    [InlineData("2a00:1450::1", true)]
    [InlineData("fd12:3456:789a::1", true)]
    [InlineData("fe80::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:192.0.2.1", false)]
    [InlineData("::1", false)]
    [InlineData("192.168.1.2", true)]
    [InlineData("127.0.0.1", false)]
    public void Host_candidates_are_global_or_unique_local_never_link_local(string address, bool gathered) =>
        Assert.Equal(gathered, AddressScope.IsGatherable(IPAddress.Parse(address), includeLoopback: false));

    [Fact]
    public void A_unique_local_address_is_offered_only_to_a_peer_of_the_same_site()
    {
        var ula = new IPEndPoint(IPAddress.Parse("fd12:3456:789a:1::5"), 4000);
        IPEndPoint[] sameSite = [new(IPAddress.Parse("fd12:3456:789a:2::9"), 1)];
        IPEndPoint[] otherSite = [new(IPAddress.Parse("fd99:3456:789a:1::9"), 1), new(IPAddress.Parse("2001:db8::9"), 1)];

        Assert.True(AddressScope.IsReachableFrom(ula, sameSite));
        Assert.False(AddressScope.IsReachableFrom(ula, otherSite));
        Assert.True(AddressScope.IsReachableFrom(new IPEndPoint(IPAddress.Parse("2001:db8::5"), 4000), otherSite));
        Assert.False(AddressScope.IsReachableFrom(new IPEndPoint(IPAddress.Parse("fe80::5"), 4000), sameSite));
    }
}
