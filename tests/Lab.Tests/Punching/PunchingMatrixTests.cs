using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

/// <summary>
/// Every pair of NAT kinds, with the real server and two real peers: the outcome is what NAT theory
/// allows (<see cref="LabPair.Expected"/>). Time to path is printed per pair; the benchmark
/// (bench/nat-matrix.sh) repeats this for medians.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class PunchingMatrixTests(NatLab lab, ITestOutputHelper output)
{
    private const int Pings = 3;

    /// <summary>Port prediction rounds for PR–SYM; a success rate, not one lucky run.</summary>
    private const int PredictionRuns = 5;

    public static TheoryData<string> PairsWithoutPortPrediction => LabPair.Names(p => !p.NeedsPortPrediction);

    [LabTheory]
    [MemberData(nameof(PairsWithoutPortPrediction))]
    public async Task Pair_connects_as_nat_theory_allows(string pairName)
    {
        var pair = LabPair.Named(pairName);
        var outcome = await pair.ConnectAsync(lab);
        output.WriteLine($"{pair.Name}: expected {pair.Expected}; {Describe(outcome)}");
        PairAssert.AsExpected(pair, outcome, Pings);
        if (pair.BehindOneNat)
        {
            // The LAN is the path: no hairpin through the router's public address.
            Assert.All(new[] { outcome.A, outcome.B }, peer => Assert.StartsWith(lab.SameNat.LanPrefix + ".", peer.Remote, StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Port prediction (the symmetric side opens 256 sockets, the other probes 1000 of its ports):
    /// theory gives about 98% per attempt, so this asserts a success rate over several runs, not one lucky run.
    /// </summary>
    [LabFact]
    public async Task Port_restricted_to_symmetric_connects_most_of_the_time()
    {
        var pair = LabPair.All.Single(p => p.NeedsPortPrediction);
        int direct = await DirectRunsAsync(lab, pair, PredictionRuns, settings: null, output, pair.Name);

        Assert.True(MatrixTable.MatchesTheory(pair, direct, relayed: 0, PredictionRuns), $"{pair.Name}: {direct}/{PredictionRuns} runs direct, below {MatrixTable.PortPredictionSuccessRate:P0}");
    }

    /// <summary>Runs <paramref name="pair"/> <paramref name="runs"/> times, printing each outcome; returns how many ended direct on both sides.</summary>
    public static async Task<int> DirectRunsAsync(NatLab lab, LabPair pair, int runs, PeerSettings? settings, ITestOutputHelper output, string label)
    {
        int direct = 0;
        for (int run = 0; run < runs; run++)
        {
            var outcome = await pair.ConnectAsync(lab, settings);
            output.WriteLine($"{label} run {run + 1}: {Describe(outcome)}");
            direct += outcome.BothDirect ? 1 : 0;
        }

        return direct;
    }

    public static string Describe(PairOutcome outcome) => outcome.BothDirect || outcome.BothRelayed
        ? $"{outcome.Path} in {outcome.TimeToPathMs:0} ms ({outcome.A.Remote} / {outcome.B.Remote}; paths {string.Join('→', outcome.A.PathKinds)})"
        : $"no path: exits {outcome.A.ExitCode}/{outcome.B.ExitCode}, '{outcome.A.FailureReason}' / '{outcome.B.FailureReason}'";
}
