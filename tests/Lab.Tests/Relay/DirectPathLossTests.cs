using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Relay;

/// <summary>
/// The direct path dies mid-stream (the NAT forgets its mappings, and a rule keeps the way shut for
/// a while): traffic moves back to the relay, and once the way is open again, to direct again
/// (docs/peer-json.md, "Paths": path timeout 15 s, punching again 2 s later).
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class DirectPathLossTests(NatLab lab, ITestOutputHelper output)
{
    /// <summary>30 s of pings: about 1 s to direct, 15 s to notice the loss, 2 s to punch again, and pongs after each move.</summary>
    private static readonly PeerSettings Pinging = new(Count: 120, IntervalSeconds: 0.25);

    private static readonly TimeSpan DirectLimit = TimeSpan.FromSeconds(15);

    /// <summary>The peer's path timeout (15 s) plus room for a loaded machine.</summary>
    private static readonly TimeSpan FallbackLimit = TimeSpan.FromSeconds(25);

    [LabFact]
    public async Task Traffic_falls_back_to_the_relay_when_the_direct_path_dies_and_returns_to_direct()
    {
        var (a, b) = LabPair.Named("PR-PR").Hosts(lab);
        await using var pair = PeerPair.Start(lab, a, b, Pinging);
        await pair.A.WaitForLineAsync(line => PeerOutcome.IsPath(line, "direct"), DirectLimit);

        long dropped;
        await using (var block = await DirectPathBlock.StartAsync(lab, a.Site))
        {
            await block.FlushConntrackAsync();
            await pair.A.WaitForLineAsync(line => PeerOutcome.IsPath(line, "relayed") && line.Contains("\"previous\":\"direct\"", StringComparison.Ordinal), FallbackLimit);
            dropped = await block.DroppedAsync();
        }

        await pair.A.WaitForLineAsync(line => PathCount(pair.A, "direct") >= 2, FallbackLimit);
        var outcome = await pair.FinishAsync();
        output.WriteLine($"{dropped} direct datagrams dropped; paths {string.Join('→', outcome.A.PathKinds)} / {string.Join('→', outcome.B.PathKinds)}; pongs {outcome.A.Count("pong")}/{outcome.B.Count("pong")} of {Pinging.Count}");

        Assert.True(dropped > 0, "the block dropped nothing: the direct path was not cut");
        Assert.True(outcome.A.ExitCode == 0 && outcome.B.ExitCode == 0, $"expected both to finish (exit 0):\n{outcome}");
        Assert.True(outcome.A.PathKinds is ["relayed", "direct", "relayed", "direct"], $"expected relayed→direct→relayed→direct:\n{outcome}");
        Assert.True(PongsAfter(outcome.A, pathIndex: 2) > 0, $"expected pongs through the relay after the fallback:\n{outcome}");
        Assert.True(PongsAfter(outcome.A, pathIndex: 3) > 0, $"expected pongs over the direct path after the return:\n{outcome}");
    }

    private static int PathCount(LabProcess peer, string kind) => peer.Lines.Count(line => PeerOutcome.IsPath(line, kind));

    /// <summary>Pongs after the n-th path event (0-based) and before the next one.</summary>
    private static int PongsAfter(PeerOutcome peer, int pathIndex)
    {
        var events = peer.Events.Select(e => e.GetProperty("event").GetString()).ToList();
        var pathPositions = events.Select((name, i) => (name, i)).Where(x => x.name == "path").Select(x => x.i).Append(events.Count).ToList();
        return events.Skip(pathPositions[pathIndex] + 1).Take(pathPositions[pathIndex + 1] - pathPositions[pathIndex] - 1).Count(name => name == "pong");
    }
}
