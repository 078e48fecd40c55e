namespace Punch.Lab.Tests.Topology;

/// <summary>
/// The nftables ruleset that makes a router namespace behave as one <see cref="NatKind"/>. One table
/// per router, named after the lab prefix. (nft 1.0.6 in Debian 12 spells iptables'
/// <c>--random-fully</c> as <c>fully-random</c>, and wants one statement per line.)
/// </summary>
public static class NatRules
{
    public const string WanInterface = "wan";
    public const string LanInterface = "lan";

    /// <summary>How long the address-restricted router remembers a destination (its filtering "binding" lifetime).</summary>
    private const string ContactedLifetime = "120s";

    public static string For(NatSite site, string table)
    {
        string body = site.Kind switch
        {
            NatKind.FullCone => StaticMapping(site),
            NatKind.AddressRestricted => StaticMapping(site) + AddressFilter,
            NatKind.PortRestricted => DropUnsolicited + Masquerade(""),
            NatKind.Symmetric => DropUnsolicited + Masquerade(" fully-random"),
            _ => throw new ArgumentOutOfRangeException(nameof(site)),
        };
        return $"table ip {table} {{\n{body}}}\n";
    }

    /// <summary>
    /// Endpoint-independent mapping that keeps the host's port (SNAT to one address keeps the source
    /// port while the tuple is unique), and endpoint-independent filtering: every inbound UDP datagram
    /// goes to the host at the same port. Only the first host of the LAN is reachable from outside.
    /// </summary>
    private static string StaticMapping(NatSite site) => $$"""
          chain prerouting_nat {
            type nat hook prerouting priority dstnat; policy accept;
            iifname "{{WanInterface}}" meta l4proto udp dnat to {{site.Hosts[0].Address}}
          }
          chain postrouting_nat {
            type nat hook postrouting priority srcnat; policy accept;
            oifname "{{WanInterface}}" ip saddr {{site.LanPrefix}}.0/24 snat to {{site.WanAddress}}
          }

        """;

    /// <summary>
    /// Address-dependent filtering (RFC 4787 §5): inbound only from addresses the LAN has sent to,
    /// whatever their port. Dropped in forward, before conntrack confirms the flow, so a refused
    /// datagram leaves no conntrack entry behind.
    /// </summary>
    private const string AddressFilter = $$"""
          set contacted {
            type ipv4_addr
            flags dynamic, timeout
            timeout {{ContactedLifetime}}
          }
          chain forward_filter {
            type filter hook forward priority filter; policy accept;
            iifname "{{LanInterface}}" oifname "{{WanInterface}}" update @contacted { ip daddr }
            iifname "{{WanInterface}}" ct state established,related accept
            iifname "{{WanInterface}}" ip saddr @contacted accept
            iifname "{{WanInterface}}" drop
          }

        """;

    /// <summary>
    /// Unsolicited inbound datagrams are dropped right after conntrack has looked them up (priority
    /// mangle, after conntrack's -200) and so before it confirms them. Without this, the peer's early
    /// checks, addressed to the router itself, leave unreplied conntrack entries for exactly the tuple
    /// our host is about to use; MASQUERADE then sees a clash and picks another port, and the
    /// "port-restricted" router suddenly maps per destination. Real home routers drop them too.
    /// </summary>
    private const string DropUnsolicited = $$"""
          chain prerouting_filter {
            type filter hook prerouting priority mangle; policy accept;
            iifname "{{WanInterface}}" ct state new drop
          }

        """;

    /// <summary>Linux MASQUERADE keeps the source port when it can (EIM); fully-random picks a new port per flow (APDM).</summary>
    private static string Masquerade(string flags) => $$"""
          chain postrouting_nat {
            type nat hook postrouting priority srcnat; policy accept;
            oifname "{{WanInterface}}" masquerade{{flags}}
          }

        """;

    /// <summary>Random loss on the internet bridge (no tc netem in this kernel) of the given protocols (UDP unless a test asks for more), both directions.</summary>
    public static string Loss(string table, int percent, string protocols = "udp") => $$"""
        table bridge {{table}} {
          chain forward_filter {
            type filter hook forward priority filter; policy accept;
            meta l4proto {{protocols}} numgen random mod 100 < {{percent}} counter drop
          }
        }

        """;

    /// <summary>
    /// Drops every UDP datagram the router forwards that neither comes from nor goes to one of
    /// <paramref name="keep"/> (the server's addresses): the peers' direct path dies, the relay and
    /// the server's refreshes live on. In forward, so a dropped outbound datagram leaves no
    /// conntrack entry (it is never confirmed), and inbound ones are matched after DNAT.
    /// </summary>
    public static string DropAllUdpExcept(string table, IEnumerable<string> keep) => $$"""
        table ip {{table}} {
          chain forward_filter {
            type filter hook forward priority filter - 10; policy accept;
            meta l4proto udp ip saddr != { {{string.Join(", ", keep)}} } ip daddr != { {{string.Join(", ", keep)}} } counter drop
          }
        }

        """;
}
