using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// Builds the IPv6 lab beside an IPv4 internet like <see cref="NetworkBuilder"/>'s (which stays as it
/// is: the IPv4 lab never gets IPv6): the internet bridge carries 203.0.113.0/24 and 2001:db8::/64,
/// every router routes its LAN's 2001:db8:N::/64 (the server and the other routers have a route to
/// it, as the internet would), and DAD is off in every namespace so addresses work at once.
/// </summary>
public sealed class DualStackBuilder(string prefix)
{
    private const string Bridge = "inet";

    public string InternetNamespace => $"{prefix}-net";

    public string ServerNamespace => $"{prefix}-srv";

    public async Task CreateInternetAsync()
    {
        await CreateNamespaceAsync(InternetNamespace);
        await Ip(InternetNamespace, "link", "add", "name", Bridge, "type", "bridge");
        await Ip(InternetNamespace, "link", "set", Bridge, "up");
    }

    public async Task CreateServerAsync(IReadOnlyList<DualStackSite> sites)
    {
        await CreateNamespaceAsync(ServerNamespace);
        await PlugIntoInternetAsync(ServerNamespace, "psrv", $"{Ipv6Lab.ServerAddress}/24", $"{Ipv6Lab.ServerAddress6}/64");
        await RoutesToSitesAsync(ServerNamespace, sites, except: null);
    }

    public async Task CreateSiteAsync(DualStackSite site, IReadOnlyList<DualStackSite> sites)
    {
        string router = site.RouterNamespace;
        await CreateNamespaceAsync(router);
        await PlugIntoInternetAsync(router, $"p{site.Nat.Index}", $"{site.Nat.WanAddress}/24", $"{site.WanAddress6}/64");
        await Ip(router, "link", "add", "name", NatRules.LanInterface, "type", "bridge");
        await Ip(router, "addr", "add", $"{site.Nat.RouterLanAddress}/24", "dev", NatRules.LanInterface);
        await Ip(router, "addr", "add", $"{site.RouterLanAddress6}/64", "dev", NatRules.LanInterface, "nodad");
        await Ip(router, "link", "set", NatRules.LanInterface, "up");
        await NetworkBuilder.Sysctl(router, "net.ipv4.ip_forward", "1");
        await NetworkBuilder.Sysctl(router, "net.ipv6.conf.all.forwarding", "1");
        await RoutesToSitesAsync(router, sites, except: site);

        string host = site.HostNamespace;
        await CreateNamespaceAsync(host);
        await Ip(router, "link", "add", "name", "l0", "type", "veth", "peer", "name", "eth0", "netns", host);
        await Ip(router, "link", "set", "l0", "master", NatRules.LanInterface, "up");
        if (site.HasIPv4)
        {
            await Ip(host, "addr", "add", $"{site.Host.Address}/24", "dev", "eth0");
        }

        if (site.HasIPv6)
        {
            await Ip(host, "addr", "add", $"{site.HostAddress6}/64", "dev", "eth0", "nodad");
        }

        await Ip(host, "link", "set", "eth0", "up");
        if (site.HasIPv4)
        {
            await Ip(host, "route", "add", "default", "via", site.Nat.RouterLanAddress);
        }

        if (site.HasIPv6)
        {
            await Ip(host, "-6", "route", "add", "default", "via", site.RouterLanAddress6);
        }

        await NetworkBuilder.LoadRulesAsync(router, NatRules.For(site.Nat, $"{prefix}-nat"));
        await NetworkBuilder.LoadRulesAsync(router, FirewallRules.StatefulIPv6($"{prefix}-fw6"));
    }

    /// <summary>A namespace with DAD off before any interface exists, so every IPv6 address is usable the moment it is added.</summary>
    private static async Task CreateNamespaceAsync(string ns)
    {
        await Shell.RunAsync("ip", "netns", "add", ns);
        await NetworkBuilder.Sysctl(ns, "net.ipv6.conf.all.accept_dad", "0");
        await NetworkBuilder.Sysctl(ns, "net.ipv6.conf.default.accept_dad", "0");
        await Ip(ns, "link", "set", "lo", "up");
    }

    private static async Task RoutesToSitesAsync(string ns, IReadOnlyList<DualStackSite> sites, DualStackSite? except)
    {
        foreach (var other in sites.Where(s => s != except))
        {
            await Ip(ns, "-6", "route", "add", $"{other.LanPrefix6}/64", "via", other.WanAddress6);
        }
    }

    private async Task PlugIntoInternetAsync(string ns, string bridgePort, string address4, string address6)
    {
        await Ip(InternetNamespace, "link", "add", "name", bridgePort, "type", "veth", "peer", "name", NatRules.WanInterface, "netns", ns);
        await Ip(InternetNamespace, "link", "set", bridgePort, "master", Bridge, "up");
        await Ip(ns, "addr", "add", address4, "dev", NatRules.WanInterface);
        await Ip(ns, "addr", "add", address6, "dev", NatRules.WanInterface, "nodad");
        await Ip(ns, "link", "set", NatRules.WanInterface, "up");
    }

    private static Task Ip(string ns, params string[] args) => Shell.RunAsync("ip", ["-n", ns, .. args]);
}
