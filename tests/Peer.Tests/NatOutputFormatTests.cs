using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Output;

namespace Punch.Peer.Tests;

/// <summary>How the NAT mapping and the punch strategy read in both output forms.</summary>
public class NatOutputFormatTests
{
    private static readonly PeerIdentity Alice = new(PeerIdentity.DefaultNetwork, "alice");
    private static readonly SessionId Session = new(0x6ab89dade0ef64c2);
    private static readonly Candidate[] Candidates = [new(CandidateKind.ServerReflexive, IPEndPoint.Parse("203.0.113.7:40000"))];

    [Fact]
    public void Registered_says_the_mapping()
    {
        var registered = new RegisteredEvent(Alice, IPEndPoint.Parse("203.0.113.5:5000"), TimeSpan.FromSeconds(60), NatMapping.EndpointDependent);

        Assert.EndsWith("; NAT: endpoint-dependent mapping (symmetric NAT), unknown filtering", HumanSink.Format(registered), StringComparison.Ordinal);
        Assert.Contains("\"natMapping\":\"endpoint-dependent\"", JsonLinesSink.Format(registered), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PunchStrategy.SprayPorts, 1000, "bob is behind a symmetric NAT: probing 1000 of its ports", "spray-ports")]
    [InlineData(PunchStrategy.OpenManySockets, 256, "you are behind a symmetric NAT: opening 256 sockets for bob's probes to find", "open-many-sockets")]
    [InlineData(PunchStrategy.Impossible, 0, "bob is behind a symmetric NAT and so are you: no direct path possible", "impossible")]
    public void Introduced_adds_one_line_for_a_strategy_other_than_regular(PunchStrategy strategy, int count, string line, string name)
    {
        var introduced = new IntroducedEvent("bob", Session, true, Candidates, NatMapping.EndpointDependent, strategy, count);

        var lines = HumanSink.Format(introduced).Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.Equal(line, lines[1]);
        string json = JsonLinesSink.Format(introduced);
        Assert.Contains($"\"strategy\":\"{name}\"", json, StringComparison.Ordinal);
        Assert.Contains("\"remoteNatMapping\":\"endpoint-dependent\"", json, StringComparison.Ordinal);
        Assert.Equal(count > 0, json.Contains($"\"predictionCount\":{count}", StringComparison.Ordinal));
    }

    [Fact]
    public void Regular_punching_adds_no_line_and_the_path_on_the_main_socket_has_no_socket_field()
    {
        var introduced = new IntroducedEvent("bob", Session, false, Candidates);
        var path = new PathEvent("bob", Session, PathKind.Direct, Candidates[0].EndPoint, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(1));

        Assert.DoesNotContain(Environment.NewLine, HumanSink.Format(introduced), StringComparison.Ordinal);
        Assert.Contains("\"remoteNatMapping\":\"unknown\",\"remoteNatFiltering\":\"unknown\",\"strategy\":\"regular\"}", JsonLinesSink.Format(introduced), StringComparison.Ordinal);
        Assert.DoesNotContain("socket", JsonLinesSink.Format(path), StringComparison.Ordinal);
        Assert.Contains("\"socket\":3", JsonLinesSink.Format(path with { Socket = 3 }), StringComparison.Ordinal);
    }
}
