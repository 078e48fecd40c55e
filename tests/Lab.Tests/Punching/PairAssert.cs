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
            AssertPingsAnswered(peer, pings, outcome);
        }
    }

    /// <summary>
    /// Both sides end on the relay, never direct, with every ping answered through it, and say why
    /// punching failed: the only pair theory relays is symmetric to symmetric, and the reason must
    /// name that, so a user can act on it.
    /// </summary>
    public static void Relayed(PairOutcome outcome, int pings)
    {
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.IsRelayed, $"expected a relayed path (exit 0):\n{outcome}");
            Assert.True(peer.PathKinds.All(kind => kind == "relayed"), $"expected the relay only, never direct:\n{outcome}");
            AssertPingsAnswered(peer, pings, outcome);
            Assert.True(peer.Warnings.Any(NamesSymmetricNats), $"expected a warning saying punching failed because of the symmetric NATs:\n{outcome}");
        }
    }

    /// <summary>Both sides give up with exit 1 and a <c>failed</c> event that says why.</summary>
    public static void Failed(PairOutcome outcome)
    {
        foreach (var peer in new[] { outcome.A, outcome.B })
        {
            Assert.True(peer.ExitCode == 1 && peer.PathKind is null, $"expected no path (exit 1):\n{outcome}");
            Assert.False(string.IsNullOrWhiteSpace(peer.FailureReason), $"expected a failed event with a reason:\n{outcome}");
            // The only pair theory cannot punch is symmetric to symmetric: the reason must say so, so a user can act on it.
            Assert.True(NamesSymmetricNats(peer.FailureReason!), $"expected the reason to name the symmetric NATs:\n{outcome}");
        }
    }

    public static void AsExpected(LabPair pair, PairOutcome outcome, int pings)
    {
        switch (pair.Expected)
        {
            case ExpectedPath.Direct:
                Direct(outcome, pings);
                break;
            case ExpectedPath.Relayed:
                Relayed(outcome, pings);
                break;
            default:
                Failed(outcome);
                break;
        }
    }

    /// <summary>
    /// Every ping answered, the first included: pings over the relay start only once the peer has
    /// answered through it (PathSwitch's hello), and the relay forwards to a side's registered address
    /// until that side activates (docs/relay.md, "Forwarding"), so no ping is sent into a one-sided relay.
    /// </summary>
    private static void AssertPingsAnswered(PeerOutcome peer, int pings, PairOutcome outcome)
    {
        var answered = peer.All("pong").Select(e => e.GetProperty("seq").GetInt32()).ToHashSet();
        var missing = Enumerable.Range(1, pings).Where(seq => !answered.Contains(seq)).ToList();
        Assert.True(missing.Count == 0, $"expected pings 1..{pings} answered; {peer.Name} missed {string.Join(", ", missing)}:\n{outcome}");
    }

    private static bool NamesSymmetricNats(string text) => text.Contains("symmetric", StringComparison.Ordinal);
}
