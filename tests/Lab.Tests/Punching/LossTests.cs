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

    /// <summary>Pairs that are direct without loss today; PR–SYM joins once port prediction lands.</summary>
    public static TheoryData<string> DirectPairs => LabPair.Names(p => p.Expected == ExpectedPath.Direct && !p.NeedsPortPrediction);

    [Theory]
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
}
