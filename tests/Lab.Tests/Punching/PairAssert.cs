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

    /// <summary>Both sides give up with exit 1 and a <c>failed</c> event that says why.</summary>
    public static void Failed(PairOutcome outcome)
    {
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.ExitCode == 1 && peer.PathKind is null, $"expected no path (exit 1):\n{outcome}");
            Assert.False(string.IsNullOrWhiteSpace(peer.FailureReason), $"expected a failed event with a reason:\n{outcome}");
            // The only pair theory fails is symmetric to symmetric: the reason must say so, so a user can act on it.
            Assert.True(peer.FailureReason!.Contains("symmetric", StringComparison.Ordinal), $"expected the reason to name the symmetric NATs:\n{outcome}");
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
            Failed(outcome);
        }
    }
}
