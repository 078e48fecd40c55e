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

    [Fact]
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
