using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>
/// RFC 5780 behaviour discovery across the lab's real NATs: coturn's turnutils_natdiscovery classifies
/// every NAT kind correctly against the Punch rendezvous, and <c>punch netcheck</c> agrees with it,
/// against the rendezvous and against coturn.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed partial class NatDiscoveryInteropTests(NatLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(60);

    /// <summary>What each kind is, in RFC 4787 words (see <see cref="NatKind"/>).</summary>
    private static (string Mapping, string Filtering) Expected(NatKind kind) => kind switch
    {
        NatKind.FullCone => ("endpoint-independent", "endpoint-independent"),
        NatKind.AddressRestricted => ("endpoint-independent", "address-dependent"),
        NatKind.PortRestricted => ("endpoint-independent", "address-and-port-dependent"),
        _ => ("address-and-port-dependent", "address-and-port-dependent"),
    };

    /// <summary>
    /// The verdict of Debian's RFC 3489 client <c>stun</c> (stund 0.97) for each kind. On the address-restricted
    /// router it can only see "Independent Filter", against coturn as against punch: it contacts the server's other
    /// address (its test I(2)) while its change-address test is still retransmitting, and the lab's router remembers
    /// contacted addresses for the whole LAN. Its mapping verdict still holds, and both servers must get the same one.
    /// </summary>
    private static string ExpectedClassic(NatKind kind) => kind switch
    {
        NatKind.FullCone => "Independent Mapping, Independent Filter",
        NatKind.AddressRestricted => "Independent Mapping, Independent Filter",
        NatKind.PortRestricted => "Independent Mapping, Port Dependent Filter",
        _ => "Dependent Mapping",
    };

    [LabFact]
    public async Task Natdiscovery_and_netcheck_classify_every_nat_kind_alike_against_the_rendezvous_and_coturn()
    {
        await using var servers = await DiscoveryServers.StartAsync(lab);
        var table = new StringBuilder("kind | expected | natdiscovery→punch | netcheck→punch | netcheck→coturn | stun→punch | stun→coturn\n");
        var failures = new List<string>();
        foreach (var kind in Enum.GetValues<NatKind>())
        {
            var site = lab.Site(kind);
            var host = site.Hosts[0];
            var expected = Expected(kind);
            var natdiscovery = await NatdiscoveryAsync(site, host, DiscoveryServers.PunchPort);
            var ours = await NetcheckAsync(site, host, DiscoveryServers.PunchPort);
            var coturn = await NetcheckAsync(site, host, DiscoveryServers.CoturnPort);
            string classic = await StunClientAsync(site, host, DiscoveryServers.PunchPort);
            string classicCoturn = await StunClientAsync(site, host, DiscoveryServers.CoturnPort);
            table.AppendLine(CultureInfo.InvariantCulture, $"{kind} | {expected} | {natdiscovery} | {ours} | {coturn} | {classic} | {classicCoturn}");
            if (!classic.StartsWith(ExpectedClassic(kind), StringComparison.Ordinal) || classic != classicCoturn)
            {
                failures.Add($"{kind}: the RFC 3489 client 'stun' said '{classic}' against punch and '{classicCoturn}' against coturn, expected '{ExpectedClassic(kind)}'");
            }

            foreach (var (who, found) in new[] { ("natdiscovery against punch", natdiscovery), ("netcheck against punch", ours), ("netcheck against coturn", coturn) })
            {
                if (found.Mapping != expected.Mapping || found.Filtering != expected.Filtering)
                {
                    failures.Add($"{kind}: {who} found {found}, expected {expected}");
                }
            }

            // The lab's routers do not hairpin; netcheck must agree with natdiscovery about it too.
            if (ours.Hairpin != natdiscovery.Hairpin || coturn.Hairpin != natdiscovery.Hairpin)
            {
                failures.Add($"{kind}: hairpinning natdiscovery {natdiscovery.Hairpin}, netcheck {ours.Hairpin} / {coturn.Hairpin}");
            }

            if (ours.PublicAddress != site.WanAddress)
            {
                failures.Add($"{kind}: netcheck's public endpoint is on {ours.PublicAddress}, not the router's {site.WanAddress}");
            }
        }

        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n" + table);
    }

    private sealed record Classification(string Mapping, string Filtering, bool Hairpin, string? PublicAddress = null)
    {
        public override string ToString() => $"{Mapping} mapping, {Filtering} filtering, hairpin {(Hairpin ? "yes" : "no")}";
    }

    /// <summary>Filtering first and on its own, then mapping, then hairpinning: each from a fresh socket of the tool.</summary>
    private async Task<Classification> NatdiscoveryAsync(NatSite site, LabHost host, int port)
    {
        await DiscoveryServers.ForgetContactedAsync(site);
        string filtering = await RunNatdiscoveryAsync(host, "-f", port);
        string mapping = await RunNatdiscoveryAsync(host, "-m", port);
        string hairpin = await RunNatdiscoveryAsync(host, "-H", port);
        output.WriteLine($"--- natdiscovery from {host}:\n{filtering}\n{mapping}\n{hairpin}");
        return new Classification(Verdict(mapping, "Mapping"), Verdict(filtering, "Filtering"),
            hairpin.Contains("Received a request (maybe a successful hairpinning)", StringComparison.Ordinal));
    }

    private async Task<string> RunNatdiscoveryAsync(LabHost host, string test, int port)
    {
        var result = await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "turnutils_natdiscovery", test, "-p", port.ToString(CultureInfo.InvariantCulture), NatLab.ServerAddress],
            check: false, limit: ToolLimit);
        return result.StandardOutput + result.StandardError;
    }

    /// <summary>Runs <c>stun SERVER:PORT</c> (RFC 3489: MAPPED-ADDRESS, CHANGED-ADDRESS, CHANGE-REQUEST) and returns its "Primary:" verdict.</summary>
    private async Task<string> StunClientAsync(NatSite site, LabHost host, int port)
    {
        await DiscoveryServers.ForgetContactedAsync(site);
        var result = await Shell.RunAsync("ip", ["netns", "exec", host.Namespace, "stun", $"{NatLab.ServerAddress}:{port}"], check: false, limit: ToolLimit);
        string text = result.StandardOutput + result.StandardError;
        output.WriteLine($"--- stun from {host} to :{port}:\n{text}");
        var verdict = Regex.Match(text, @"Primary: (?<verdict>[^\r\n]*)");
        return verdict.Success ? verdict.Groups["verdict"].Value.Trim() : "no verdict";
    }

    private async Task<Classification> NetcheckAsync(NatSite site, LabHost host, int port)
    {
        await DiscoveryServers.ForgetContactedAsync(site);
        await using var netcheck = lab.Start(host.Namespace, LabBinaries.PeerDll, ["netcheck", "--server", $"{NatLab.ServerAddress}:{port}", "--json"]);
        int exit = await netcheck.WaitForExitAsync(ToolLimit);
        string json = netcheck.Lines.LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"netcheck printed no JSON (exit {exit}):\n{netcheck.Transcript()}");
        output.WriteLine($"--- netcheck from {host} to :{port}: {json}");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string? publicEndpoint = root.GetProperty("publicEndpoint").GetString();
        return new Classification(root.GetProperty("mapping").GetString()!, root.GetProperty("filtering").GetString()!,
            root.GetProperty("hairpinning").ValueKind == JsonValueKind.True, publicEndpoint?.Split(':')[0]);
    }

    /// <summary>natdiscovery's "NAT with Address and Port Dependent Mapping!" as "address-and-port-dependent"; "unknown" when it printed no verdict.</summary>
    private static string Verdict(string text, string what)
    {
        var match = Regex.Match(text, $@"NAT with (?<kind>[A-Za-z ]+?) {what}!");
        return match.Success ? match.Groups["kind"].Value.ToLowerInvariant().Replace(' ', '-') : "unknown";
    }
}
