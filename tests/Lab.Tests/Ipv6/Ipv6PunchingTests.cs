using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// Real peers on hosts with IPv4, IPv6 or both, behind IPv4 NATs and stateful IPv6 firewalls (no
/// NAT66), against the dual-stack server: every pair connects, directly wherever one family allows it.
/// </summary>
public sealed class Ipv6PunchingTests(Ipv6Lab lab, ITestOutputHelper output) : IClassFixture<Ipv6Lab>
{
    private static readonly PeerSettings Settings = new(Count: 3, IntervalSeconds: 0.2, TimeoutSeconds: 10);
    private static int s_runs;

    [LabFact]
    public async Task Two_dual_stack_hosts_behind_symmetric_IPv4_NATs_go_direct_over_IPv6()
    {
        var outcome = await ConnectAsync(lab.DualStack1, lab.DualStack2);

        AssertDirectOver(outcome, lab.DualStack2.HostAddress6, lab.DualStack1.HostAddress6);
    }

    [LabFact]
    public async Task An_IPv6_only_host_and_a_dual_stack_host_behind_a_symmetric_IPv4_NAT_go_direct_over_IPv6()
    {
        var outcome = await ConnectAsync(lab.Ipv6Only, lab.DualStack1);

        AssertDirectOver(outcome, lab.DualStack1.HostAddress6, lab.Ipv6Only.HostAddress6);
    }

    [LabFact]
    public async Task An_IPv4_only_host_and_a_dual_stack_host_go_direct_over_IPv4()
    {
        var outcome = await ConnectAsync(lab.Ipv4Only, lab.DualStack1);

        Assert.True(outcome.BothDirect, outcome.ToString());
        Assert.DoesNotContain("[", outcome.A.Remote, StringComparison.Ordinal);
        Assert.DoesNotContain("[", outcome.B.Remote, StringComparison.Ordinal);
    }

    [LabFact]
    public async Task An_IPv4_only_host_and_an_IPv6_only_host_are_relayed_by_the_dual_stack_server()
    {
        var outcome = await ConnectAsync(lab.Ipv4Only, lab.Ipv6Only);

        Assert.True(outcome.BothRelayed, outcome.ToString());
        Assert.Equal(Settings.Count, outcome.A.Count("pong"));
        Assert.Equal(Settings.Count, outcome.B.Count("pong"));
        Assert.Equal($"[{Ipv6Lab.ServerAddress6}]:{Ipv6Lab.RendezvousPort}", outcome.B.Remote);
    }

    [LabFact]
    public async Task The_IPv6_firewall_drops_a_datagram_the_LAN_did_not_ask_for()
    {
        long before = await FirewallDropsAsync(lab.DualStack1);

        // Unsolicited, from the server's namespace to the host's public IPv6 address (bash's /dev/udp: no tool to install).
        await Shell.RunAsync("ip", ["netns", "exec", lab.ServerNamespace, "bash", "-c", $"echo unsolicited > /dev/udp/{lab.DualStack1.HostAddress6}/9999"]);

        Assert.True(await FirewallDropsAsync(lab.DualStack1) > before, "the firewall's drop counter did not move");
    }

    private async Task<long> FirewallDropsAsync(DualStackSite site)
    {
        var table = await Shell.InNamespaceAsync(site.RouterNamespace, "nft", "list", "table", "ip6", $"{lab.Prefix}-fw6");
        var counter = System.Text.RegularExpressions.Regex.Match(table.StandardOutput, @"counter packets (\d+)");
        Assert.True(counter.Success, table.StandardOutput);
        return long.Parse(counter.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private void AssertDirectOver(PairOutcome outcome, string remoteOfA, string remoteOfB)
    {
        Assert.True(outcome.BothDirect, outcome.ToString());
        Assert.StartsWith($"[{remoteOfA}]:", outcome.A.Remote, StringComparison.Ordinal);
        Assert.StartsWith($"[{remoteOfB}]:", outcome.B.Remote, StringComparison.Ordinal);
        Assert.Equal(Settings.Count, outcome.A.Count("pong"));
    }

    private async Task<PairOutcome> ConnectAsync(DualStackSite a, DualStackSite b)
    {
        int run = Interlocked.Increment(ref s_runs);
        string nameA = $"{a.Name}-{run}a", nameB = $"{b.Name}-{run}b";
        await using var pair = new RunningPair(
            lab.Start(a.HostNamespace, LabBinaries.PeerDll, Arguments(a, nameA, nameB)),
            lab.Start(b.HostNamespace, LabBinaries.PeerDll, Arguments(b, nameB, nameA)),
            nameA, nameB, Settings);
        var outcome = await pair.FinishAsync();
        output.WriteLine($"{a} - {b}: {outcome.Path}; {nameA} via {outcome.A.Remote}, {nameB} via {outcome.B.Remote}, {outcome.TimeToPathMs:0} ms");
        return outcome;
    }

    private static string[] Arguments(DualStackSite site, string name, string peer) =>
    [
        "connect", "--server", site.ServerArgument, "--name", name, "--json", "--peer", peer,
        "--count", Settings.Count.ToString(CultureInfo.InvariantCulture),
        "--interval", Settings.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        "--timeout", Settings.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    ];
}
