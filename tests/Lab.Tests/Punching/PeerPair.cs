using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Punching;

/// <summary>How two peers are run: pings and timing flags of <c>punch connect</c>, and which paths they may use.</summary>
public sealed record PeerSettings(int Count = 3, double IntervalSeconds = 0.2, double TimeoutSeconds = 10, bool DirectOnly = false)
{
    /// <summary>Room for start-up, the punch, every ping and the default 2 s linger; past it the run is stuck.</summary>
    public TimeSpan ExitLimit => TimeSpan.FromSeconds(TimeoutSeconds + (Count * IntervalSeconds) + 30);
}

/// <summary>The outcome of two peers that connected to each other.</summary>
public sealed record PairOutcome(PeerOutcome A, PeerOutcome B)
{
    public bool BothDirect => A.IsDirect && B.IsDirect;

    public bool BothRelayed => A.IsRelayed && B.IsRelayed;

    /// <summary>"direct", "relayed" or "failed": where both ended, as the matrix table prints it.</summary>
    public string Path => BothDirect ? "direct" : BothRelayed ? "relayed" : "failed";

    /// <summary>The slower side's time to path: the pair is connected when both are.</summary>
    public double? TimeToPathMs => A.TimeToPathMs is { } a && B.TimeToPathMs is { } b ? Math.Max(a, b) : null;

    public override string ToString() => $"{A}\n{B}";
}

/// <summary>Two real peers started on two lab hosts, each connecting to the other; a test can watch their output while they run.</summary>
public sealed class RunningPair(LabProcess a, LabProcess b, string nameA, string nameB, PeerSettings settings) : IAsyncDisposable
{
    public LabProcess A => a;

    public LabProcess B => b;

    /// <summary>Waits for both to exit (killed past <see cref="PeerSettings.ExitLimit"/>) and parses what they said.</summary>
    public async Task<PairOutcome> FinishAsync()
    {
        var exits = await Task.WhenAll(a.WaitForExitAsync(settings.ExitLimit), b.WaitForExitAsync(settings.ExitLimit));
        return new PairOutcome(
            PeerOutcome.Parse(nameA, exits[0], a.Lines, a.Transcript()),
            PeerOutcome.Parse(nameB, exits[1], b.Lines, b.Transcript()));
    }

    public async ValueTask DisposeAsync()
    {
        await a.DisposeAsync();
        await b.DisposeAsync();
    }
}

/// <summary>Runs the real built peer on two lab hosts, each connecting to the other, and collects both outcomes.</summary>
public static class PeerPair
{
    private static int s_runs;

    public static async Task<PairOutcome> ConnectAsync(NatLab lab, LabHost a, LabHost b, PeerSettings? settings = null)
    {
        await using var pair = Start(lab, a, b, settings);
        return await pair.FinishAsync();
    }

    public static RunningPair Start(NatLab lab, LabHost a, LabHost b, PeerSettings? settings = null)
    {
        settings ??= new PeerSettings();
        string nameA = FreshName(a, "a"), nameB = FreshName(b, "b");
        var peerA = lab.Start(a.Namespace, LabBinaries.PeerDll, Arguments(nameA, nameB, settings));
        var peerB = lab.Start(b.Namespace, LabBinaries.PeerDll, Arguments(nameB, nameA, settings));
        return new RunningPair(peerA, peerB, nameA, nameB, settings);
    }

    /// <summary>A name no earlier run used: a registration of an earlier run may still be alive on the server.</summary>
    public static string FreshName(LabHost host, string suffix) => $"{host.Site.Name}-{Interlocked.Increment(ref s_runs)}{suffix}";

    /// <summary>The flags every lab peer gets: <c>punch COMMAND --server … --name NAME --json</c>.</summary>
    public static string[] CommonArguments(string command, string name) => [command, "--server", NatLab.ServerAddress, "--name", name, "--json"];

    private static string[] Arguments(string name, string peer, PeerSettings settings) =>
    [
        .. CommonArguments("connect", name), "--peer", peer,
        "--count", settings.Count.ToString(CultureInfo.InvariantCulture),
        "--interval", settings.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        "--timeout", settings.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        .. settings.DirectOnly ? new[] { "--direct-only" } : [],
    ];
}
