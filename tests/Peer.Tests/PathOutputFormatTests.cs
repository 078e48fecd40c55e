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
            Previous: PathKind.Relayed, Reason: "the direct path is confirmed");

        Assert.StartsWith("traffic to bob moved to the direct path at 203.0.113.7:40000 after", HumanSink.Format(path), StringComparison.Ordinal);
        Assert.EndsWith(": the direct path is confirmed", HumanSink.Format(path), StringComparison.Ordinal);
        Assert.Contains("\"previous\":\"relayed\",\"reason\":\"the direct path is confirmed\"", JsonLinesSink.Format(path), StringComparison.Ordinal);
    }
}
