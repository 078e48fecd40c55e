using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

/// <summary>
/// With random loss on the internet, every pair that punches without loss still punches: checks
/// are retried until the punch timeout rather than a fixed count (see PunchOptions).
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class LossTests(NatLab lab, ITestOutputHelper output)
{
    private const int LossPercent = 5;
    private const int Pings = 3;

    /// <summary>Port prediction rounds under loss: held to the same success rate as without loss.</summary>
    private const int PredictionRuns = 5;

    /// <summary>Pairs that are direct without loss on every run; PR–SYM (port prediction) is held to a success rate below.</summary>
    public static TheoryData<string> DirectPairs => LabPair.Names(p => p.Expected == ExpectedPath.Direct && !p.NeedsPortPrediction);

    [LabTheory]
    [MemberData(nameof(DirectPairs))]
    public async Task Pair_still_connects_with_loss_on_the_internet(string pairName)
    {
        var pair = LabPair.Named(pairName);
        await lab.SetLossAsync(LossPercent);
        try
        {
            // A lost ping is not the punch's fault: only the path is asserted, pongs are reported.
            var outcome = await pair.ConnectAsync(lab, new PeerSettings(Count: Pings, TimeoutSeconds: 15));
            output.WriteLine($"{pair.Name} with {LossPercent}% loss ({await lab.LossDropsAsync()} datagrams dropped): {PunchingMatrixTests.Describe(outcome)}; pongs {outcome.A.Count("pong")}/{outcome.B.Count("pong")}");
            if (!outcome.BothDirect)
            {
                Assert.Fail($"expected a direct path despite {LossPercent}% loss:\n{outcome}\n{await ServerTimeline.DescribeAsync(lab, outcome.A.Name, outcome.B.Name)}");
            }
        }
        finally
        {
            await lab.SetLossAsync(0);
        }
    }

    /// <summary>PR–SYM punches by port prediction, which theory gives about 98% per attempt: under loss too it must succeed most of the time.</summary>
    [LabFact]
    public async Task Port_prediction_still_connects_most_of_the_time_with_loss()
    {
        var pair = LabPair.All.Single(p => p.NeedsPortPrediction);
        await lab.SetLossAsync(LossPercent);
        try
        {
            int direct = await PunchingMatrixTests.DirectRunsAsync(lab, pair, PredictionRuns, new PeerSettings(Count: Pings, TimeoutSeconds: 15), output, $"{pair.Name} with {LossPercent}% loss");

            Assert.True(MatrixTable.MatchesTheory(pair, direct, relayed: 0, PredictionRuns), $"{pair.Name} with {LossPercent}% loss: {direct}/{PredictionRuns} runs direct, below {MatrixTable.PortPredictionSuccessRate:P0}");
        }
        finally
        {
            await lab.SetLossAsync(0);
        }
    }
}
