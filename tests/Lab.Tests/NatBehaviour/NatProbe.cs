using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>
/// RFC 5780-style behaviour discovery with the lab agent: the host sends from one socket to the three
/// echo endpoints (mapping), then the server namespace sends to the mapping of the first one from
/// sources the host never contacted (filtering).
/// </summary>
public static class NatProbe
{
    /// <summary>Long enough for the unsolicited senders (separate processes) to start and send.</summary>
    private const int ListenSeconds = 3;
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(30);

    public static async Task<ProbeResult> RunAsync(NatLab lab, LabHost host, int localPort, IReadOnlyList<string> unsolicitedSources)
    {
        await using var probe = lab.Start(host.Namespace, LabBinaries.AgentDll,
        [
            "probe", "--local-port", localPort.ToString(CultureInfo.InvariantCulture),
            .. NatLab.EchoEndPoints.SelectMany(e => new[] { "--to", e }),
            "--listen-seconds", ListenSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        await probe.WaitForLineAsync(line => line == "ready", StepLimit);
        var mapped = probe.Lines.Where(l => l.StartsWith("mapped ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .ToDictionary(parts => parts[1], parts => parts[2]);
        Assert.True(mapped.Count == NatLab.EchoEndPoints.Count, $"an echo did not answer:\n{probe.Transcript()}");

        await Task.WhenAll(unsolicitedSources.Select(async source =>
        {
            await using var send = lab.Start(lab.Network.ServerNamespace, LabBinaries.AgentDll, ["send", "--from", source, "--to", mapped[NatLab.EchoEndPoints[0]]]);
            Assert.Equal(0, await send.WaitForExitAsync(StepLimit));
        }));

        await probe.WaitForExitAsync(StepLimit);
        var received = probe.Lines.Where(l => l.StartsWith("received ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[1])
            .ToHashSet();
        return new ProbeResult(localPort, mapped, received);
    }
}
