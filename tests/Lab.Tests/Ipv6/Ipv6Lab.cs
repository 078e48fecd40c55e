using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// The IPv6 lab: a dual-stack internet of its own (the IPv4 lab's topology is untouched), built once
/// for the IPv6 tests and always removed by prefix (<see cref="LabJanitor"/>).
/// <code>
///   srv 203.0.113.1 + 2001:db8::1, the server on "::" (dual-stack), announcing both addresses
///    │
///   net (bridge "inet": 203.0.113.0/24 and 2001:db8::/64)
///    ├─ r1 DS1: dual-stack host, IPv4 symmetric NAT, IPv6 stateful firewall
///    ├─ r2 DS2: dual-stack host, IPv4 symmetric NAT, IPv6 stateful firewall
///    ├─ r3 V6:  IPv6-only host behind the firewall
///    └─ r4 V4:  IPv4-only host, IPv4 full-cone NAT
/// </code>
/// </summary>
public sealed class Ipv6Lab : IAsyncLifetime
{
    public const string ServerAddress = "203.0.113.1";
    public const string ServerAddress6 = "2001:db8::1";
    public const int RendezvousPort = 3478;

    private static readonly TimeSpan ServerStartLimit = TimeSpan.FromSeconds(60);

    private readonly LabProcessSet _processes = new();
    private string? _prefix;
    private string? _dataDirectory;

    public string Prefix => _prefix ?? throw new InvalidOperationException("the lab is not built");

    public IReadOnlyList<DualStackSite> Sites { get; private set; } = [];

    public DualStackSite DualStack1 => Sites[0];

    public DualStackSite DualStack2 => Sites[1];

    public DualStackSite Ipv6Only => Sites[2];

    public DualStackSite Ipv4Only => Sites[3];

    public string ServerNamespace => new DualStackBuilder(Prefix).ServerNamespace;

    public string DatabasePath => Path.Combine(_dataDirectory ?? throw new InvalidOperationException("the lab is not built"), "lab.db");

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            // Every lab test is skipped then (LabFactAttribute): build nothing.
            return;
        }

        await LabJanitor.SweepStaleAsync();
        _prefix = LabJanitor.ClaimPrefix();
        string prefix = _prefix;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LabJanitor.RemoveAsync(prefix).GetAwaiter().GetResult();
        try
        {
            Sites =
            [
                new(new NatSite("DS1", NatKind.Symmetric, 1, Prefix, 1), HasIPv4: true, HasIPv6: true),
                new(new NatSite("DS2", NatKind.Symmetric, 2, Prefix, 1), HasIPv4: true, HasIPv6: true),
                new(new NatSite("V6", NatKind.PortRestricted, 3, Prefix, 1), HasIPv4: false, HasIPv6: true),
                new(new NatSite("V4", NatKind.FullCone, 4, Prefix, 1), HasIPv4: true, HasIPv6: false),
            ];
            await BuildAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public Task DisposeAsync() => _processes.TearDownAsync(_prefix, _dataDirectory);

    public LabProcess Start(string ns, string dll, IEnumerable<string> args) => _processes.Start(ns, dll, args);

    private async Task BuildAsync()
    {
        var network = new DualStackBuilder(Prefix);
        await network.CreateInternetAsync();
        await network.CreateServerAsync(Sites);
        foreach (var site in Sites)
        {
            await network.CreateSiteAsync(site, Sites);
        }

        _dataDirectory = Directory.CreateTempSubdirectory($"{Prefix}-").FullName;
        var server = Start(network.ServerNamespace, LabBinaries.ServerDll,
        [
            "--urls", "http://127.0.0.1:5080",
            $"--Rendezvous:Port={RendezvousPort}",
            "--Rendezvous:BindAddress=::",
            // Announced to peers of the other family (a peer registered over IPv4 learns its public IPv6 endpoint there, and back).
            $"--Rendezvous:PublicAddressV6={ServerAddress6}",
            $"--Rendezvous:PublicAddressV4={ServerAddress}",
            $"--ConnectionStrings:Punch=Data Source={DatabasePath}",
        ]);
        await server.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), ServerStartLimit);
    }
}
