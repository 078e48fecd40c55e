using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Punching;

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
