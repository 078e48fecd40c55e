using System.Net;
using Punch.Core.Protocol;
using Punch.Peer.Output;

namespace Punch.Peer.Tests;

/// <summary>How the first path and each move between relay and direct read in both output forms.</summary>
public class PathOutputFormatTests
{
    private static readonly SessionId Session = new(0x6ab89dade0ef64c2);
    private static readonly IPEndPoint Relay = IPEndPoint.Parse("203.0.113.1:3478");
    private static readonly IPEndPoint Bob = IPEndPoint.Parse("203.0.113.7:40000");

    [Fact]
    public void A_first_relayed_path_names_the_relay_and_has_no_previous_kind()
    {
        var path = new PathEvent("bob", Session, PathKind.Relayed, Relay, TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(1), Reason: "the relay is ready; punching goes on");

        Assert.StartsWith("relayed path to bob via the relay at 203.0.113.1:3478 up after", HumanSink.Format(path), StringComparison.Ordinal);
        string json = JsonLinesSink.Format(path);
        Assert.Contains("\"kind\":\"relayed\",\"remote\":\"203.0.113.1:3478\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("previous", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_move_says_where_from_and_why()
    {
        var path = new PathEvent("bob", Session, PathKind.Direct, Bob, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(1),
            Previous: PathKind.Relayed, Reason: "the direct path is confirmed", Candidate: CandidateKind.ServerReflexive);

        Assert.StartsWith("traffic to bob moved to the direct path at 203.0.113.7:40000 (srflx, IPv4) after", HumanSink.Format(path), StringComparison.Ordinal);
        Assert.EndsWith(": the direct path is confirmed", HumanSink.Format(path), StringComparison.Ordinal);
        Assert.Contains("\"previous\":\"relayed\",\"reason\":\"the direct path is confirmed\"", JsonLinesSink.Format(path), StringComparison.Ordinal);
        Assert.Contains("\"candidate\":\"srflx\",\"family\":\"v4\"", JsonLinesSink.Format(path), StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_names_the_kind_and_family_of_the_candidate_that_won()
    {
        var host6 = new PathEvent("bob", Session, PathKind.Direct, new IPEndPoint(IPAddress.Parse("2001:db8:1::2"), 40000), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(1), Candidate: CandidateKind.Host);
        var relayed = new PathEvent("bob", Session, PathKind.Relayed, Bob, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(1));

        Assert.Contains("at [2001:db8:1::2]:40000 (host, IPv6)", HumanSink.Format(host6), StringComparison.Ordinal);
        Assert.Contains("\"candidate\":\"host\",\"family\":\"v6\"", JsonLinesSink.Format(host6), StringComparison.Ordinal);
        Assert.Contains("\"candidate\":\"relay\"", JsonLinesSink.Format(relayed), StringComparison.Ordinal);
    }
}
