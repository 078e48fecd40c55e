using Punch.Lab.Tests.Processes;

namespace Punch.Lab.Tests.Topology;

/// <summary>
/// The NAT lab: a small internet in network namespaces, built once for every lab test class and
/// always removed (see <see cref="LabJanitor"/>).
/// <code>
///   srv (203.0.113.1 + .2: rendezvous server, echo probes; .3: a stranger for filtering probes)
///    │
///   net (bridge "inet" = the internet, optional loss)
///    ├─ r1 FC  203.0.113.11 ── LAN 198.18.1.0/24 ── h1a 198.18.1.2
///    ├─ r2 FC  … r8 SYM      (two routers of each kind, so same-kind pairs are two NATs)
///    └─ r9 PR  203.0.113.19 ── LAN 198.18.9.0/24 ── h9a .2, h9b .3 (two hosts behind one NAT)
/// </code>
/// </summary>
public sealed class NatLab : IAsyncLifetime
{
    public const string ServerAddress = "203.0.113.1";
    public const string SecondServerAddress = "203.0.113.2";
    public const int RendezvousPort = 3478;

    /// <summary>The server's expose control port (Expose:ControlPort's default) and the public ports peers may take.</summary>
    public const int ExposeControlPort = 7000;
    public const string ExposeAllowedPorts = "18000-18100";

    /// <summary>A third address of the server namespace that no host ever sends to, for filtering probes.</summary>
    public const string StrangerAddress = "203.0.113.3";

    /// <summary>Echo probes for mapping tests: two addresses with one port, and a second port on the first address.</summary>
    public static readonly IReadOnlyList<string> EchoEndPoints = [$"{ServerAddress}:4000", $"{SecondServerAddress}:4000", $"{ServerAddress}:4001"];

    private static readonly TimeSpan ServerStartLimit = TimeSpan.FromSeconds(60);
    private static readonly NatKind[] Kinds = Enum.GetValues<NatKind>();
    private const string ConntrackUdpTimeout = "net.netfilter.nf_conntrack_udp_timeout";
    private const string ConntrackUdpStreamTimeout = "net.netfilter.nf_conntrack_udp_timeout_stream";

    private readonly LabProcessSet _processes = new();
    private readonly Dictionary<string, string> _defaultTimeouts = [];
    private string? _prefix;
    private string? _dataDirectory;

    /// <summary>The server's SQLite file: a failing test prints the server's side of its run from it (<see cref="ServerTimeline"/>).</summary>
    public string DatabasePath => Path.Combine(_dataDirectory ?? throw new InvalidOperationException("the lab is not built"), "lab.db");

    public string Prefix => _prefix ?? throw new InvalidOperationException("the lab is not built");

    public NetworkBuilder Network => new(Prefix);

    public IReadOnlyList<NatSite> Sites { get; private set; } = [];

    /// <summary>Two hosts behind one port-restricted router.</summary>
    public NatSite SameNat => Sites[^1];

    /// <summary>Instance 0 or 1 of a kind: the lab has two routers per kind so a same-kind pair crosses two NATs.</summary>
    public NatSite Site(NatKind kind, int instance = 0) => Sites.Where(s => s.Kind == kind && s != SameNat).ElementAt(instance);

    public async Task InitializeAsync()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            // Every lab test is skipped then (LabFactAttribute): build nothing.
            return;
        }

        await RequireToolsAsync();
        await LabJanitor.SweepStaleAsync();
        _prefix = LabJanitor.ClaimPrefix();
        // A test run stopped with SIGTERM/Ctrl+C skips fixture teardown but still runs ProcessExit;
        // a SIGKILLed one leaves the namespaces to the next run's SweepStaleAsync.
        string prefix = _prefix;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => LabJanitor.RemoveAsync(prefix).GetAwaiter().GetResult();
        try
        {
            var sites = Kinds.SelectMany(kind => Enumerable.Range(0, 2).Select(instance => (kind, instance, hosts: 1)))
                .Append((kind: NatKind.PortRestricted, instance: -1, hosts: 2))
                .Select((s, i) => new NatSite(s.instance < 0 ? "SAME" : $"{s.kind.ShortName()}{s.instance + 1}", s.kind, i + 1, Prefix, s.hosts))
                .ToList();
            Sites = sites;
            await BuildAsync();
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills every process the lab started, then removes every namespace of the prefix, whatever failed before.</summary>
    public Task DisposeAsync() => _processes.TearDownAsync(_prefix, _dataDirectory);

    /// <summary>Starts a built program in a lab namespace; the lab kills it at teardown if the test did not.</summary>
    public LabProcess Start(string ns, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        _processes.Start(ns, dll, args, environment);

    /// <summary>Starts a stock program in a lab namespace; the lab kills it at teardown if the test did not.</summary>
    public LabProcess StartTool(string ns, string file, IEnumerable<string> args) => _processes.StartTool(ns, file, args);

    /// <summary>Drops <paramref name="percent"/> % of UDP datagrams (and with <paramref name="tcpToo"/> TCP segments) crossing the internet; 0 removes the loss.</summary>
    public async Task SetLossAsync(int percent, bool tcpToo = false)
    {
        string table = $"{Prefix}-loss";
        await Shell.RunAsync("ip", ["netns", "exec", Network.InternetNamespace, "nft", "delete", "table", "bridge", table], check: false);
        if (percent > 0)
        {
            await NetworkBuilder.LoadRulesAsync(Network.InternetNamespace, NatRules.Loss(table, percent, tcpToo ? "{ udp, tcp }" : "udp"));
        }
    }

    /// <summary>How many datagrams the loss rule has dropped since it was set (its nft counter), so a loss test can show it bit.</summary>
    public async Task<long> LossDropsAsync()
    {
        var table = await Shell.InNamespaceAsync(Network.InternetNamespace, "nft", "list", "table", "bridge", $"{Prefix}-loss");
        var counter = System.Text.RegularExpressions.Regex.Match(table.StandardOutput, @"counter packets (\d+)");
        return counter.Success ? long.Parse(counter.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>
    /// Sets the conntrack UDP timeouts of every router (per-namespace sysctls), or restores the
    /// kernel defaults with null. Both: "_stream" applies once a flow has seen traffic both ways.
    /// </summary>
    public async Task SetUdpTimeoutAsync(int? seconds)
    {
        foreach (var site in Sites)
        {
            foreach (string key in new[] { ConntrackUdpTimeout, ConntrackUdpStreamTimeout })
            {
                await NetworkBuilder.Sysctl(site.RouterNamespace, key, seconds?.ToString() ?? _defaultTimeouts[key]);
            }
        }
    }

    private async Task BuildAsync()
    {
        var network = Network;
        await network.CreateInternetAsync();
        await network.CreateServerAsync(ServerAddress, SecondServerAddress, StrangerAddress);
        // Sites touch only their own namespaces (and the bridge's port list), so they can be built side by side.
        await Task.WhenAll(Sites.Select(BuildSiteAsync));
        foreach (string key in new[] { ConntrackUdpTimeout, ConntrackUdpStreamTimeout })
        {
            _defaultTimeouts[key] = await NetworkBuilder.ReadSysctlAsync(Sites[0].RouterNamespace, key);
        }

        _dataDirectory = Directory.CreateTempSubdirectory($"{Prefix}-").FullName;
        var server = Start(network.ServerNamespace, LabBinaries.ServerDll,
        [
            "--urls", "http://127.0.0.1:5080",
            $"--Rendezvous:Port={RendezvousPort}",
            "--Rendezvous:BindAddress=0.0.0.0",
            $"--Expose:AllowedPorts={ExposeAllowedPorts}",
            $"--Expose:ControlPort={ExposeControlPort}",
            // The lab's peers expose in the unkeyed default network, and its 50 concurrent fetches come from one NAT's address (default cap 32).
            "--Expose:AllowOpenNetworks=true",
            "--Expose:MaxConnectionsPerVisitorAddress=64",
            $"--ConnectionStrings:Punch=Data Source={DatabasePath}",
        ]);
        var echo = Start(network.ServerNamespace, LabBinaries.AgentDll, ["echo", .. EchoEndPoints.SelectMany(e => new[] { "--bind", e }), "--seconds", "3600"]);
        await server.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), ServerStartLimit);
        await echo.WaitForLineAsync(line => line == "listening", ServerStartLimit);
    }

    private async Task BuildSiteAsync(NatSite site)
    {
        await Network.CreateSiteAsync(site);
        await NetworkBuilder.LoadRulesAsync(site.RouterNamespace, NatRules.For(site, $"{Prefix}-nat"));
    }

    private static async Task RequireToolsAsync()
    {
        foreach (string tool in new[] { "ip", "nft", "sysctl" })
        {
            var which = await Shell.RunAsync("sh", ["-c", $"command -v {tool}"], check: false);
            if (which.ExitCode != 0)
            {
                throw new InvalidOperationException($"The NAT lab needs '{tool}'; ./test.sh installs it with apt (iproute2, nftables, procps).");
            }
        }
    }
}
