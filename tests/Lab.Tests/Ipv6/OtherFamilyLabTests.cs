using System.Globalization;
using System.Text.Json;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// The server's announced IPv6 endpoint (Rendezvous:PublicAddressV6) in the IPv6 lab: <c>punch netcheck</c> given the server's
/// IPv4 address reports IPv6 reachability and the public IPv6 address, and a dual-stack peer behind NAT66 (added to DS2's router
/// here, in this class's own lab) that registers over IPv4 learns its outside IPv6 endpoint there and offers it to the peer it meets.
/// Linux's NAT66 masquerade is not a reliable way to meet directly, and the test does not ask for it: when the other peer's check
/// reaches the router before our own check has left, conntrack keeps that inbound flow, and our check then leaves from another port
/// (address-and-port-dependent, as a symmetric NAT does); in the runs measured the pair stayed on the relay.
/// </summary>
public sealed class OtherFamilyLabTests(Ipv6Lab lab, ITestOutputHelper output) : IClassFixture<Ipv6Lab>
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(60);
    private static readonly PeerSettings Settings = new(Count: 3, IntervalSeconds: 0.2, TimeoutSeconds: 10);

    [LabFact]
    public async Task Netcheck_with_the_servers_IPv4_address_reports_IPv6_reachability_and_the_public_IPv6_address()
    {
        await using var netcheck = lab.Start(lab.DualStack1.HostNamespace, LabBinaries.PeerDll, ["netcheck", "--server", Ipv6Lab.ServerAddress, "--json", "--no-port-mapping"]);
        int exit = await netcheck.WaitForExitAsync(ToolLimit);
        string json = netcheck.Lines.LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"netcheck printed no JSON (exit {exit}):\n{netcheck.Transcript()}");
        output.WriteLine(json);

        using var document = JsonDocument.Parse(json);
        var ipv6 = document.RootElement.GetProperty("ipv6");
        Assert.True(ipv6.GetProperty("reachable").GetBoolean(), json);
        Assert.Equal(lab.DualStack1.HostAddress6, ipv6.GetProperty("publicAddress").GetString());
        Assert.False(ipv6.GetProperty("nat66").GetBoolean());
        Assert.Equal($"[{Ipv6Lab.ServerAddress6}]:{Ipv6Lab.RendezvousPort}", ipv6.GetProperty("checkedAt").GetString());
    }

    [LabFact]
    public async Task A_peer_behind_NAT66_registered_over_IPv4_offers_its_outside_IPv6_endpoint()
    {
        var behindNat66 = lab.DualStack2;
        await NetworkBuilder.LoadRulesAsync(behindNat66.RouterNamespace, $$"""
            table ip6 {{lab.Prefix}}-nat66 {
              chain postrouting {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "wan" masquerade
              }
            }

            """);

        await using var pair = new RunningPair(
            lab.Start(lab.Ipv6Only.HostNamespace, LabBinaries.PeerDll, Arguments(lab.Ipv6Only, "v6", "nat66")),
            lab.Start(behindNat66.HostNamespace, LabBinaries.PeerDll, Arguments(behindNat66, "nat66", "v6")),
            "v6", "nat66", Settings);
        var outcome = await pair.FinishAsync();
        output.WriteLine(outcome.ToString());

        string outside = $"[{behindNat66.WanAddress6}]:";
        var registered = outcome.B.First("registered") ?? throw new InvalidOperationException(outcome.ToString());
        Assert.DoesNotContain("[", registered.GetProperty("publicEndpoint").GetString(), StringComparison.Ordinal); // registered over IPv4
        Assert.StartsWith(outside, registered.GetProperty("otherFamilyPublicEndpoint").GetString(), StringComparison.Ordinal);
        var introduced = outcome.A.First("introduced") ?? throw new InvalidOperationException(outcome.ToString());
        Assert.Contains(introduced.GetProperty("candidates").EnumerateArray(),
            c => c.GetProperty("kind").GetString() == "srflx" && c.GetProperty("endpoint").GetString()!.StartsWith(outside, StringComparison.Ordinal));
        Assert.Equal(Settings.Count, outcome.A.Count("pong"));
        output.WriteLine($"path: {outcome.A.PathKind} via {outcome.A.Remote}");
    }

    private static string[] Arguments(DualStackSite site, string name, string peer) =>
    [
        "connect", "--server", site.ServerArgument, "--name", name, "--json", "--peer", peer,
        "--count", Settings.Count.ToString(CultureInfo.InvariantCulture),
        "--interval", Settings.IntervalSeconds.ToString(CultureInfo.InvariantCulture),
        "--timeout", Settings.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
    ];
}
