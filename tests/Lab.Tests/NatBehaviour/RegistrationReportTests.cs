using System.Globalization;
using System.Text;
using System.Text.Json;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>
/// What a peer reports of its NAT when it registers, across the lab's real NATs: a <c>punch listen</c> behind each
/// kind registers with the RFC 5780 rendezvous of <see cref="DiscoveryServers"/> (second address and port), and both
/// its own <c>--json</c> output and the server's <c>/api/peers</c> must say the kind of its site.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class RegistrationReportTests(NatLab lab, ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Each kind in the words the peer and the server use: the registration's coarse mapping, the filtering, the
    /// dashboard's name. The lab's routers do not hairpin; SNAT and MASQUERADE keep a free port, fully-random does not.
    /// </summary>
    private static (string Mapping, string Filtering, string NatType, bool PortPreserved) Expected(NatKind kind) => kind switch
    {
        NatKind.FullCone => ("endpoint-independent", "endpoint-independent", "full cone", true),
        NatKind.AddressRestricted => ("endpoint-independent", "address-dependent", "address-restricted cone", true),
        NatKind.PortRestricted => ("endpoint-independent", "address-and-port-dependent", "port-restricted cone", true),
        _ => ("endpoint-dependent", "address-and-port-dependent", "symmetric", false),
    };

    [LabFact]
    public async Task Each_peer_reports_the_nat_kind_of_its_site_at_registration()
    {
        await using var servers = await DiscoveryServers.StartAsync(lab);
        var table = new StringBuilder("kind | expected | peer's registered + nat events | server's /api/peers\n");
        var failures = new List<string>();
        foreach (var kind in Enum.GetValues<NatKind>())
        {
            var site = lab.Site(kind);
            var expected = Expected(kind);
            string name = $"report-{kind.ShortName().ToLowerInvariant()}";
            await DiscoveryServers.ForgetContactedAsync(site);
            await using var peer = lab.Start(site.Hosts[0].Namespace, LabBinaries.PeerDll,
                ["listen", "--server", $"{NatLab.ServerAddress}:{DiscoveryServers.PunchPort}", "--name", name, "--json"]);
            using var registered = JsonDocument.Parse(await peer.WaitForLineAsync(l => l.Contains("\"event\":\"registered\"", StringComparison.Ordinal), Limit));
            using var discovered = JsonDocument.Parse(await peer.WaitForLineAsync(l => l.Contains("\"event\":\"nat\"", StringComparison.Ordinal), Limit));
            var reported = (registered.RootElement.GetProperty("natMapping").GetString(), discovered.RootElement.GetProperty("natFiltering").GetString(),
                Flag(discovered.RootElement, "hairpinning"), Flag(discovered.RootElement, "portPreserved"));
            var stored = await ServerViewAsync(name, expected.NatType);
            table.AppendLine(CultureInfo.InvariantCulture, $"{kind} | {expected} | {reported} | {stored}");

            if (reported != (expected.Mapping, expected.Filtering, false, expected.PortPreserved))
            {
                failures.Add($"{kind}: the peer reported {reported}, expected {expected} without hairpinning\n{peer.Transcript()}");
            }

            if (stored != (expected.Mapping, expected.Filtering, expected.NatType, false, expected.PortPreserved))
            {
                failures.Add($"{kind}: the server shows {stored}, expected {expected} without hairpinning");
            }
        }

        output.WriteLine(table.ToString());
        Assert.True(failures.Count == 0, string.Join('\n', failures) + "\n" + table);
    }

    /// <summary>
    /// The strategy uses what was reported: a symmetric NAT against a cone whose filter admits any port of an address it
    /// sent to (full cone, address-restricted cone) punches with plain checks, no socket spray, and gets a direct path:
    /// the cone side's filtering reached the symmetric side in its introduction.
    /// </summary>
    [LabTheory]
    [InlineData(NatKind.FullCone)]
    [InlineData(NatKind.AddressRestricted)]
    public async Task Symmetric_against_a_cone_that_admits_any_port_goes_direct_without_port_prediction(NatKind coneKind)
    {
        await using var servers = await DiscoveryServers.StartAsync(lab);
        var cone = lab.Site(coneKind);
        var symmetric = lab.Site(NatKind.Symmetric);
        string server = $"{NatLab.ServerAddress}:{DiscoveryServers.PunchPort}";
        string coneName = $"cone-{coneKind.ShortName().ToLowerInvariant()}";
        await DiscoveryServers.ForgetContactedAsync(cone);
        await using var listener = lab.Start(cone.Hosts[0].Namespace, LabBinaries.PeerDll, ["listen", "--server", server, "--name", coneName, "--json"]);
        string nat = await listener.WaitForLineAsync(l => l.Contains("\"event\":\"nat\"", StringComparison.Ordinal), Limit);
        Assert.Contains($"\"natFiltering\":\"{Expected(coneKind).Filtering}\"", nat, StringComparison.Ordinal);
        // The report is at the server once the API shows the cone's type (it may come in the refresh after the registration).
        Assert.Equal(Expected(coneKind).NatType, (await ServerViewAsync(coneName, Expected(coneKind).NatType)).NatType);

        await using var connector = lab.Start(symmetric.Hosts[0].Namespace, LabBinaries.PeerDll,
            ["connect", "--server", server, "--name", $"sym-to-{coneName}", "--peer", coneName, "--count", "3", "--interval", "0.2", "--timeout", "20", "--json"]);
        string introduced = await connector.WaitForLineAsync(l => l.Contains("\"event\":\"introduced\"", StringComparison.Ordinal), Limit);
        string direct = await connector.WaitForLineAsync(l => l.Contains("\"event\":\"path\"", StringComparison.Ordinal) && l.Contains("\"kind\":\"direct\"", StringComparison.Ordinal), Limit);
        int exit = await connector.WaitForExitAsync(Limit);
        string coneIntroduced = await listener.WaitForLineAsync(l => l.Contains("\"event\":\"introduced\"", StringComparison.Ordinal), Limit);
        output.WriteLine($"{introduced}\n{direct}\n{coneIntroduced}");

        Assert.Contains($"\"remoteNatMapping\":\"endpoint-independent\",\"remoteNatFiltering\":\"{Expected(coneKind).Filtering}\",\"strategy\":\"regular\"}}", introduced, StringComparison.Ordinal);
        Assert.Contains("\"remoteNatMapping\":\"endpoint-dependent\"", coneIntroduced, StringComparison.Ordinal);
        Assert.Contains("\"strategy\":\"regular\"}", coneIntroduced, StringComparison.Ordinal);
        Assert.DoesNotContain("\"socket\":", direct, StringComparison.Ordinal);
        Assert.True(exit == 0, $"connect exited {exit}\n{connector.Transcript()}");
    }

    private static bool? Flag(JsonElement json, string name) => json.GetProperty(name).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>
    /// The peer's row of the server's REST API (from inside the server namespace: without a password the API is on
    /// loopback only), once it shows <paramref name="natType"/> or the time is up: the report may arrive in the refresh
    /// after the registration (a filtering NAT's silent tests take longer than the registration waits).
    /// </summary>
    private async Task<(string? Mapping, string? Filtering, string? NatType, bool? Hairpinning, bool? PortPreserved)> ServerViewAsync(string name, string natType)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var result = await Shell.RunAsync("ip", ["netns", "exec", lab.Network.ServerNamespace, "curl", "-sS", "--max-time", "5", $"http://127.0.0.1:{DiscoveryServers.ApiPort}/api/peers"],
                check: false, limit: TimeSpan.FromSeconds(10));
            if (result.ExitCode == 0 && result.StandardOutput.TrimStart().StartsWith('['))
            {
                using var peers = JsonDocument.Parse(result.StandardOutput);
                if (peers.RootElement.EnumerateArray().FirstOrDefault(p => p.GetProperty("name").GetString() == name) is { ValueKind: JsonValueKind.Object } peer)
                {
                    var view = (peer.GetProperty("natMapping").GetString(), peer.GetProperty("natFiltering").GetString(), peer.GetProperty("natType").GetString(),
                        Flag(peer, "hairpinning"), Flag(peer, "portPreserved"));
                    if (view.Item3 == natType && view.Item5 is not null || DateTime.UtcNow >= deadline)
                    {
                        return view;
                    }
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                output.WriteLine($"/api/peers never listed {name}: {result.StandardOutput}{result.StandardError}");
                return default;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
