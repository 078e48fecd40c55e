namespace Punch.Lab.Tests.Punching;

/// <summary>The outcome checks every punching test shares; failures print both peers' full JSON output.</summary>
public static class PairAssert
{
    /// <summary>Both sides report a direct path and every ping was answered over it.</summary>
    public static void Direct(PairOutcome outcome, int pings)
    {
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.IsDirect, $"expected a direct path:\n{outcome}");
            Assert.True(peer.First("done")?.GetProperty("received").GetInt32() == pings, $"expected {pings} pongs over the path:\n{outcome}");
        }
    }

    /// <summary>Both sides do their work over the relay only (exit 0, every ping answered), and say why punching could not work.</summary>
    public static void Relayed(PairOutcome outcome, int pings)
    {
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.IsRelayedOnly, $"expected the relay and no direct path:\n{outcome}");
            Assert.True(peer.First("done")?.GetProperty("received").GetInt32() == pings, $"expected {pings} pongs over the relay:\n{outcome}");
            // The only pair theory cannot punch is symmetric to symmetric: the reason must say so, so a user can act on it.
            Assert.True(peer.PunchingFailure?.Contains("symmetric", StringComparison.Ordinal) == true, $"expected the reason to name the symmetric NATs:\n{outcome}");
        }
    }

    public static void AsExpected(LabPair pair, PairOutcome outcome, int pings)
    {
        if (pair.Expected == ExpectedPath.Direct)
        {
            Direct(outcome, pings);
        }
        else
        {
            Relayed(outcome, pings);
        }
    }
}
