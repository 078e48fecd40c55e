using System.Globalization;
using Punch.Lab.Tests.NatBehaviour;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.PortMapping;

/// <summary>
/// Debian's miniupnpd (nftables backend) on one lab router: UPnP IGD on the LAN bridge, NAT-PMP and PCP
/// (<c>enable_natpmp=yes</c> turns on both), its config and lease file in a temporary folder.
/// <para>
/// Two lab quirks. miniupnpd 2.3.1 refuses to map while its WAN address is reserved (203.0.113.0/24 is) unless
/// <c>ext_perform_stun=yes</c> shows nothing in front of it: four Binding requests (plain, change address, change
/// port, both) must all be answered with its own address and ports, so the STUN host is an RFC 5780 server on the lab
/// internet (<see cref="DiscoveryServers"/>'s Punch server, with an alternate address and port). And the lab's NAT
/// ruleset drops unsolicited inbound datagrams in prerouting, before DNAT, which would drop both those STUN answers
/// and the mapped traffic: while miniupnpd runs, the router drops them after DNAT instead (forward, unless DNATed by a
/// mapping) and at input (unless from the STUN server), which keeps the reason for the early drop (no conntrack entry
/// from a stranger's datagram to the router itself).
/// </para>
/// <para>miniupnpd's own chains live in a table of its own (<c>inet PREFIX-upnp</c>); the Debian init script that would make them is not shipped complete, so they are made here.</para>
/// </summary>
public sealed class MiniupnpdRouter : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly NatLab _lab;
    private readonly NatSite _site;
    private readonly string _folder;
    private LabProcess? _daemon;

    private MiniupnpdRouter(NatLab lab, NatSite site)
    {
        _lab = lab;
        _site = site;
        _folder = Directory.CreateTempSubdirectory($"{lab.Prefix}-miniupnpd-").FullName;
    }

    public string UpnpTable => $"{_site.Prefix}-upnp";

    public LabProcess Daemon => _daemon ?? throw new InvalidOperationException("miniupnpd is not running");

    public static async Task<MiniupnpdRouter> StartAsync(NatLab lab, NatSite site)
    {
        var router = new MiniupnpdRouter(lab, site);
        try
        {
            await router.StartAsync();
            return router;
        }
        catch
        {
            await router.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync()
    {
        string ns = _site.RouterNamespace;
        string natTable = $"{_site.Prefix}-nat";
        // Same NAT (the kind's masquerade), the unsolicited-inbound drop moved after DNAT. Only the LAN is
        // masqueraded: miniupnpd's own STUN check must see its ports unchanged (a fully-random masquerade of the
        // router's own datagrams reads as a symmetric NAT in front of it, and it refuses to map).
        await Shell.InNamespaceAsync(ns, "nft", "delete", "table", "ip", natTable);
        await NetworkBuilder.LoadRulesAsync(ns, $$"""
            table ip {{natTable}} {
              chain input_filter {
                type filter hook input priority filter; policy accept;
                iifname "{{NatRules.WanInterface}}" ip saddr { {{NatLab.ServerAddress}}, {{NatLab.SecondServerAddress}} } accept
                iifname "{{NatRules.WanInterface}}" ct state new drop
              }
              chain forward_filter {
                type filter hook forward priority filter; policy accept;
                iifname "{{NatRules.WanInterface}}" ct status dnat accept
                iifname "{{NatRules.WanInterface}}" ct state new drop
              }
              chain postrouting_nat {
                type nat hook postrouting priority srcnat; policy accept;
                oifname "{{NatRules.WanInterface}}" ip saddr {{_site.LanPrefix}}.0/24 masquerade{{(_site.Kind == NatKind.Symmetric ? " fully-random" : string.Empty)}}
              }
            }

            """);
        await NetworkBuilder.LoadRulesAsync(ns, $$"""
            table inet {{UpnpTable}} {
              chain forward {
                type filter hook forward priority filter - 5; policy accept;
                jump miniupnpd
              }
              chain miniupnpd {
              }
              chain prerouting {
                type nat hook prerouting priority dstnat; policy accept;
                jump prerouting_miniupnpd
              }
              chain postrouting {
                type nat hook postrouting priority srcnat - 5; policy accept;
                jump postrouting_miniupnpd
              }
              chain prerouting_miniupnpd {
              }
              chain postrouting_miniupnpd {
              }
            }

            """);

        string config = Path.Combine(_folder, "miniupnpd.conf");
        await File.WriteAllTextAsync(config, string.Join('\n',
        [
            $"ext_ifname={NatRules.WanInterface}",
            $"listening_ip={NatRules.LanInterface}",
            "http_port=5000",
            "enable_natpmp=yes",
            "enable_upnp=yes",
            "secure_mode=yes",
            "system_uptime=yes",
            "ext_perform_stun=yes",
            $"ext_stun_host={NatLab.ServerAddress}",
            $"ext_stun_port={DiscoveryServers.PunchPort.ToString(CultureInfo.InvariantCulture)}",
            $"upnp_table_name={UpnpTable}",
            $"upnp_nat_table_name={UpnpTable}",
            "upnp_forward_chain=miniupnpd",
            "upnp_nat_chain=prerouting_miniupnpd",
            "upnp_nat_postrouting_chain=postrouting_miniupnpd",
            $"lease_file={Path.Combine(_folder, "leases")}",
            "uuid=3d3cec3a-8cf0-11e0-98ee-001a6bd2d07b",
            $"allow 1024-65535 {_site.LanPrefix}.0/24 1024-65535",
            "deny 0-65535 0.0.0.0/0 0-65535",
            string.Empty,
        ]));
        _daemon = _lab.StartTool(ns, "miniupnpd", ["-f", config, "-d", "-P", Path.Combine(_folder, "miniupnpd.pid")]);
        // -d logs to stderr; the STUN verdict is the sign it is ready (and whether it will map at all).
        var deadline = DateTime.UtcNow + StartLimit;
        while (!Daemon.ErrorText.Contains("Port forwarding is now", StringComparison.Ordinal) && !Daemon.ErrorText.Contains("STUN: ... done", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline || Daemon.HasExited)
            {
                throw new TimeoutException($"miniupnpd gave no STUN verdict within {StartLimit.TotalSeconds} s (exited: {Daemon.HasExited}).\n{Daemon.Transcript()}");
            }

            await Task.Delay(100);
        }

        if (Daemon.ErrorText.Contains("Port forwarding is now disabled", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"miniupnpd's STUN check refused to map:\n{Daemon.Transcript()}");
        }
    }

    /// <summary>The nft rules miniupnpd holds now (its DNAT chain): a mapping shows as a dnat rule to the host's port.</summary>
    public async Task<string> RulesAsync() =>
        (await Shell.InNamespaceAsync(_site.RouterNamespace, "nft", "list", "chain", "inet", UpnpTable, "prerouting_miniupnpd")).StandardOutput;

    /// <summary>Stops miniupnpd and puts the site's lab ruleset back, whatever happened.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_daemon is not null)
            {
                await _daemon.DisposeAsync();
            }
        }
        finally
        {
            string ns = _site.RouterNamespace;
            await Shell.RunAsync("ip", ["netns", "exec", ns, "nft", "delete", "table", "inet", UpnpTable], check: false);
            await Shell.RunAsync("ip", ["netns", "exec", ns, "nft", "delete", "table", "ip", $"{_site.Prefix}-nat"], check: false);
            await NetworkBuilder.LoadRulesAsync(ns, NatRules.For(_site, $"{_site.Prefix}-nat"));
            Directory.Delete(_folder, recursive: true);
        }
    }
}
