using System.Diagnostics;
using Punch.Lab.Tests.NatBehaviour;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.PortMapping;

/// <summary>
/// Router port mapping in the NAT lab, against Debian's miniupnpd on the first symmetric router: two symmetric NATs,
/// relayed without a mapping, go direct through it; the mapping is gone from the router once the peer exits; a router
/// without any mapping service costs the peer little at start; and the reference clients (<c>upnpc</c>,
/// <c>natpmpc</c>) work against the same router, so the lab router is right.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class PortMappingLabTests(NatLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(20);

    private NatSite MappingSite => lab.Site(NatKind.Symmetric, 0);

    [LabFact]
    public async Task Two_symmetric_nats_go_direct_through_the_mapping_and_the_mapping_is_deleted_on_exit()
    {
        await using var servers = await DiscoveryServers.StartAsync(lab);
        await using var router = await MiniupnpdRouter.StartAsync(lab, MappingSite);
        var a = MappingSite.Hosts[0];
        var b = lab.Site(NatKind.Symmetric, 1).Hosts[0];

        PairOutcome outcome;
        await using (var pair = PeerPair.Start(lab, a, b, new PeerSettings(Count: 3, TimeoutSeconds: 15)))
        {
            outcome = await pair.FinishAsync();
        }

        output.WriteLine(outcome.ToString());
        var mapped = outcome.A.First("portmap");
        Assert.True(mapped is not null, $"no portmap event from the mapped side\n{outcome.A.Transcript}\nminiupnpd:\n{router.Daemon.Transcript()}");
        Assert.Equal("mapped", mapped!.Value.GetProperty("state").GetString());
        string external = mapped.Value.GetProperty("external").GetString()!;
        Assert.StartsWith(MappingSite.WanAddress + ":", external, StringComparison.Ordinal);
        Assert.True(outcome.BothDirect, $"expected direct through {external}\n{outcome}\nminiupnpd:\n{router.Daemon.Transcript()}");

        // The peer has exited (the pair is finished): its mapping must be gone from the router.
        Assert.Contains(outcome.A.All("portmap"), e => e.GetProperty("state").GetString() == "deleted");
        string port = external.Split(':')[1];
        Assert.DoesNotContain($"dport {port} ", await router.RulesAsync(), StringComparison.Ordinal);
        // -i: miniupnpc calls an IGD whose external address is reserved (the lab's 203.0.113.0/24) "not connected" and stops without it.
        var list = await Shell.InNamespaceAsync(a.Namespace, "upnpc", "-i", "-l");
        Assert.DoesNotContain($"UDP {port}->", list.StandardOutput, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task A_router_without_a_mapping_service_costs_the_peer_under_a_second()
    {
        // The port-restricted router runs nothing on 5351 (it answers ICMP port unreachable) and nobody answers SSDP.
        var host = lab.Site(NatKind.PortRestricted, 0).Hosts[0];
        var timings = new List<(double With, double Without)>();
        for (int run = 0; run < 3; run++)
        {
            double with = await TimeToRegisteredAsync(host, portMapping: true);
            double without = await TimeToRegisteredAsync(host, portMapping: false);
            timings.Add((with, without));
        }

        output.WriteLine(string.Join("\n", timings.Select(t => $"registered after {t.With:0} ms with port mapping, {t.Without:0} ms without")));
        double cost = timings.Min(t => t.With - t.Without);
        Assert.True(cost < 1000, $"port mapping cost {cost:0} ms at best");
    }

    [LabFact]
    public async Task The_reference_clients_map_against_the_lab_router()
    {
        await using var servers = await DiscoveryServers.StartAsync(lab);
        await using var router = await MiniupnpdRouter.StartAsync(lab, MappingSite);
        var host = MappingSite.Hosts[0];

        var add = await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "upnpc", "-i", "-e", "punch-lab", "-a", host.Address, "40123", "40123", "UDP"], check: false, limit: ToolLimit);
        output.WriteLine(add.StandardOutput);
        Assert.Contains("is redirected to internal", add.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("dport 40123", await router.RulesAsync(), StringComparison.Ordinal);
        var delete = await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "upnpc", "-i", "-d", "40123", "UDP"], check: false, limit: ToolLimit);
        Assert.DoesNotContain("dport 40123", await router.RulesAsync(), StringComparison.Ordinal);
        output.WriteLine(delete.StandardOutput);

        var natpmp = await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "natpmpc", "-g", MappingSite.RouterLanAddress, "-a", "40124", "40124", "udp", "120"], check: false, limit: ToolLimit);
        output.WriteLine(natpmp.StandardOutput);
        Assert.Contains($"Public IP address : {MappingSite.WanAddress}", natpmp.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Mapped public port 40124 protocol UDP to local port 40124", natpmp.StandardOutput, StringComparison.Ordinal);
        await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "natpmpc", "-g", MappingSite.RouterLanAddress, "-a", "40124", "0", "udp", "0"], check: false, limit: ToolLimit);
    }

    /// <summary>Milliseconds from start to the "registered" line of a listening peer, which the registration holds back for the port mapping.</summary>
    private async Task<double> TimeToRegisteredAsync(LabHost host, bool portMapping)
    {
        string name = PeerPair.FreshName(host, portMapping ? "m" : "n");
        var clock = Stopwatch.StartNew();
        await using var peer = lab.Start(host.Namespace, LabBinaries.PeerDll, [.. PeerPair.CommonArguments("listen", name), .. portMapping ? Array.Empty<string>() : ["--no-port-mapping"]]);
        await peer.WaitForLineAsync(line => PeerOutcome.EventOf(line) == "registered", TimeSpan.FromSeconds(30));
        return clock.Elapsed.TotalMilliseconds;
    }
}
