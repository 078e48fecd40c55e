using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

/// <summary>
/// A path outlives idle gaps longer than the NATs' UDP timeout because the peers send keepalives.
/// The routers forget an idle flow after <see cref="UdpTimeoutSeconds"/> s; the peers ping only every
/// <see cref="PingIntervalSeconds"/> s, so without traffic in between both port-restricted NATs
/// would drop the next ping. PunchOptions.KeepaliveInterval (5 s) is shorter than the timeout, with
/// 2 s to spare; a timeout at or under 5 s would race the keepalive and is not what this test claims.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class KeepaliveTests(NatLab lab, ITestOutputHelper output)
{
    private const int UdpTimeoutSeconds = 7;
    private const double PingIntervalSeconds = 12;
    private const int Pings = 3;

    [LabFact]
    public async Task Path_between_port_restricted_nats_survives_idle_gaps_longer_than_the_udp_timeout()
    {
        var pair = LabPair.Named("PR-PR");
        var (a, _) = pair.Hosts(lab);
        await lab.SetUdpTimeoutAsync(UdpTimeoutSeconds);
        try
        {
            var idleFlowPort = await OpenIdleFlowAsync(a);
            var connecting = pair.ConnectAsync(lab, new PeerSettings(Count: Pings, IntervalSeconds: PingIntervalSeconds));

            // Meanwhile, prove the short timeout is real: a flow nobody keeps alive is gone from the router.
            await Task.Delay(TimeSpan.FromSeconds(UdpTimeoutSeconds + 3));
            Assert.Equal(0, await CountFlowsAsync(a.Site, idleFlowPort));

            var outcome = await connecting;
            output.WriteLine($"{pair.Name}, UDP timeout {UdpTimeoutSeconds} s, pings every {PingIntervalSeconds} s: {PunchingMatrixTests.Describe(outcome)}");
            PairAssert.Direct(outcome, Pings);
            Assert.All(new[] { outcome.A, outcome.B }, peer => Assert.Equal(0, peer.Count("failed")));
        }
        finally
        {
            await lab.SetUdpTimeoutAsync(null);
        }
    }

    /// <summary>One probe datagram from the host through its router, then silence; returns the local port of that flow.</summary>
    private async Task<int> OpenIdleFlowAsync(LabHost host)
    {
        int port = 30000 + Random.Shared.Next(1000);
        await using var probe = lab.Start(host.Namespace, LabBinaries.AgentDll, ["probe", "--local-port", port.ToString(CultureInfo.InvariantCulture), "--to", NatLab.EchoEndPoints[0]]);
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, await CountFlowsAsync(host.Site, port));
        return port;
    }

    private static async Task<int> CountFlowsAsync(NatSite site, int sourcePort)
    {
        // conntrack prints the entries on stdout and its summary line on stderr.
        var list = await Shell.InNamespaceAsync(site.RouterNamespace, "conntrack", "-L", "-p", "udp", "--sport", sourcePort.ToString(CultureInfo.InvariantCulture));
        return list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
