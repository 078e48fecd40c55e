using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Relay;

/// <summary>
/// Every pair connects: two symmetric NATs through the server's relay, every other pair
/// first through the relay and then, once punching succeeds, directly (docs/peer-json.md, "Paths").
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class RelayFallbackTests(NatLab lab, ITestOutputHelper output)
{
    private const int Pings = 3;

    /// <summary>Pings long enough for punching (port prediction included) to finish while they run, so the move to direct happens in the run.</summary>
    private static readonly PeerSettings UntilDirect = new(Count: 10, IntervalSeconds: 0.3);

    /// <summary>Port prediction succeeds about 98% of the time; one more run keeps a rare miss from failing the build.</summary>
    private const int PortPredictionAttempts = 2;

    private static readonly LabPair SymmetricPair = LabPair.Named("SYM-SYM");

    public static TheoryData<string> PairsThatCanPunch => ["FC-PR", "PR-PR", "PR-SYM", LabPair.SameNatName];

    [LabFact]
    public async Task Symmetric_to_symmetric_connects_through_the_relay_and_says_why_punching_failed()
    {
        Assert.Equal(ExpectedPath.Relayed, SymmetricPair.Expected);
        var outcome = await SymmetricPair.ConnectAsync(lab, new PeerSettings(Count: Pings));
        output.WriteLine($"{SymmetricPair.Name}: {PunchingMatrixTests.Describe(outcome)}; warnings: {string.Join(" | ", outcome.A.Warnings)}");
        PairAssert.Relayed(outcome, Pings);
    }

    [LabFact]
    public async Task Symmetric_to_symmetric_with_direct_only_fails_with_the_reason()
    {
        var outcome = await SymmetricPair.ConnectAsync(lab, new PeerSettings(Count: Pings, DirectOnly: true));
        output.WriteLine($"{SymmetricPair.Name} --direct-only: {PunchingMatrixTests.Describe(outcome)}");
        PairAssert.Failed(outcome);
        Assert.All(new[] { outcome.A, outcome.B }, peer => Assert.Empty(peer.PathKinds));
    }

    [LabTheory]
    [MemberData(nameof(PairsThatCanPunch))]
    public async Task Pair_that_can_punch_starts_on_the_relay_and_ends_direct(string pairName)
    {
        var pair = LabPair.Named(pairName);
        Assert.Equal(ExpectedPath.Direct, pair.Expected);
        int attempts = pair.NeedsPortPrediction ? PortPredictionAttempts : 1;
        PairOutcome outcome;
        int attempt = 0;
        do
        {
            outcome = await pair.ConnectAsync(lab, UntilDirect);
            output.WriteLine($"{pair.Name} attempt {++attempt}: {PunchingMatrixTests.Describe(outcome)}");
        }
        while (!outcome.BothDirect && attempt < attempts);

        PairAssert.Direct(outcome, UntilDirect.Count);
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.PathKinds is ["relayed", .., "direct"], $"expected relayed first, direct later; got {string.Join('→', peer.PathKinds)}:\n{outcome}");
            Assert.Equal("relayed", peer.All("path")[^1].GetProperty("previous").GetString());
        }
    }
}
