using Punch.Lab.Tests.Processes;

namespace Punch.Lab.Tests.Topology;

/// <summary>
/// Builds the lab's links with iproute2, all inside lab namespaces: a veth is created in one lab
/// namespace with its peer placed straight into another (<c>ip -n A link add … netns B</c>), so the
/// root namespace never holds a lab interface, route or rule. Interface names are fixed and short
/// (each namespace has its own set, so they cannot collide with anything outside).
/// </summary>
public sealed class NetworkBuilder(string prefix)
{
    private const string Bridge = "inet";

    public string InternetNamespace => $"{prefix}-net";

    public string ServerNamespace => $"{prefix}-srv";

    public async Task CreateNamespaceAsync(string ns)
    {
        await Shell.RunAsync("ip", "netns", "add", ns);
        await Ip(ns, "link", "set", "lo", "up");
    }

    /// <summary>The "internet": one bridge ("inet") that every router's WAN and the server hang off (203.0.113.0/24).</summary>
    public async Task CreateInternetAsync()
    {
        await CreateNamespaceAsync(InternetNamespace);
        await Ip(InternetNamespace, "link", "add", "name", Bridge, "type", "bridge");
        await Ip(InternetNamespace, "link", "set", Bridge, "up");
    }

    /// <summary>
    /// The server namespace with its public addresses on one interface. The first /24 address added
    /// is the primary and the others become secondaries, so replies of a socket bound to 0.0.0.0 leave
    /// from 203.0.113.1, the address peers use.
    /// </summary>
    public async Task CreateServerAsync(string primary, params string[] secondaries)
    {
        await CreateNamespaceAsync(ServerNamespace);
        await PlugIntoInternetAsync(ServerNamespace, "psrv", "eth0", primary);
        foreach (string secondary in secondaries)
        {
            await Ip(ServerNamespace, "addr", "add", $"{secondary}/24", "dev", "eth0");
        }
    }

    /// <summary>A router namespace (WAN on the internet bridge, LAN bridge) and its hosts, each with a default route via the router.</summary>
    public async Task CreateSiteAsync(NatSite site)
    {
        string router = site.RouterNamespace;
        await CreateNamespaceAsync(router);
        await PlugIntoInternetAsync(router, $"p{site.Index}", NatRules.WanInterface, site.WanAddress);
        await Ip(router, "link", "add", "name", NatRules.LanInterface, "type", "bridge");
        await Ip(router, "addr", "add", $"{site.RouterLanAddress}/24", "dev", NatRules.LanInterface);
        await Ip(router, "link", "set", NatRules.LanInterface, "up");
        await Sysctl(router, "net.ipv4.ip_forward", "1");

        int port = 0;
        foreach (var host in site.Hosts)
        {
            string routerPort = $"l{port++}";
            await CreateNamespaceAsync(host.Namespace);
            await Ip(router, "link", "add", "name", routerPort, "type", "veth", "peer", "name", "eth0", "netns", host.Namespace);
            await Ip(router, "link", "set", routerPort, "master", NatRules.LanInterface, "up");
            await Ip(host.Namespace, "addr", "add", $"{host.Address}/24", "dev", "eth0");
            await Ip(host.Namespace, "link", "set", "eth0", "up");
            await Ip(host.Namespace, "route", "add", "default", "via", site.RouterLanAddress);
        }
    }

    public static Task Sysctl(string ns, string key, string value) => Shell.InNamespaceAsync(ns, "sysctl", "-q", "-w", $"{key}={value}");

    public static async Task<string> ReadSysctlAsync(string ns, string key) => (await Shell.InNamespaceAsync(ns, "sysctl", "-n", key)).StandardOutput.Trim();

    public static Task LoadRulesAsync(string ns, string rules) => Shell.RunAsync("ip", ["netns", "exec", ns, "nft", "-f", "-"], input: rules);

    private async Task PlugIntoInternetAsync(string ns, string bridgePort, string name, string address)
    {
        await Ip(InternetNamespace, "link", "add", "name", bridgePort, "type", "veth", "peer", "name", name, "netns", ns);
        await Ip(InternetNamespace, "link", "set", bridgePort, "master", Bridge, "up");
        await Ip(ns, "addr", "add", $"{address}/24", "dev", name);
        await Ip(ns, "link", "set", name, "up");
    }

    private static Task Ip(string ns, params string[] args) => Shell.RunAsync("ip", ["-n", ns, .. args]);
}
