using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Punching;

/// <summary>How two peers are run: pings and timing flags of <c>punch connect</c>.</summary>
public sealed record PeerSettings(int Count = 3, double IntervalSeconds = 0.2, double TimeoutSeconds = 10)
{
    /// <summary>Room for start-up, the punch, every ping and the default 2 s linger; past it the run is stuck.</summary>
    public TimeSpan ExitLimit => TimeSpan.FromSeconds(TimeoutSeconds + (Count * IntervalSeconds) + 30);
}

/// <summary>The outcome of two peers that connected to each other.</summary>
public sealed record PairOutcome(PeerOutcome A, PeerOutcome B)
{
    public bool BothDirect => A.IsDirect && B.IsDirect;

    public bool BothRelayed => A.IsRelayedOnly && B.IsRelayedOnly;

    /// <summary>The slower side's time to path: the pair is connected when both are.</summary>
    public double? TimeToPathMs => A.TimeToPathMs is { } a && B.TimeToPathMs is { } b ? Math.Max(a, b) : null;

    public override string ToString() => $"{A}\n{B}";
}

/// <summary>Runs the real built peer on two lab hosts, each connecting to the other, and collects both outcomes.</summary>
public static class PeerPair
{
    private static int _runs;

    public static async Task<PairOutcome> ConnectAsync(NatLab lab, LabHost a, LabHost b, PeerSettings? settings = null)
    {
        settings ??= new PeerSettings();
        // Fresh names per run: a registration of an earlier run may still be alive on the server.
        int run = Interlocked.Increment(ref _runs);
        string nameA = $"{a.Site.Name}-{run}a", nameB = $"{b.Site.Name}-{run}b";
        await using var peerA = lab.Start(a.Namespace, LabBinaries.PeerDll, Arguments(nameA, nameB, settings));
        await using var peerB = lab.Start(b.Namespace, LabBinaries.PeerDll, Arguments(nameB, nameA, settings));
        var exits = await Task.WhenAll(peerA.WaitForExitAsync(settings.ExitLimit), peerB.WaitForExitAsync(settings.ExitLimit));
        return new PairOutcome(
            PeerOutcome.Parse(nameA, exits[0], peerA.Lines, peerA.Transcript()),
            PeerOutcome.Parse(nameB, exits[1], peerB.Lines, peerB.Transcript()));
    }

    private static string[] Arguments(string name, string peer, PeerSettings settings) =>
    [
        "connect", "--server", NatLab.ServerAddress, "--name", name, "--peer", peer, "--json",
        "--count", settings.Count.ToString(CultureInfo.InvariantCulture),
        "--interval", settings.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        "--timeout", settings.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    ];
}
