namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// A home router's IPv6 firewall (RFC 6092 §3.2.2 in the form most routers ship): no NAT66, outbound
/// open, inbound only for flows the LAN opened (conntrack's established/related), everything else
/// from the WAN dropped. For UDP that is endpoint-independent "mapping" (there is none: the address is
/// the host's) with address-and-port-dependent filtering, which simultaneous checks open.
/// </summary>
public static class FirewallRules
{
    public static string StatefulIPv6(string table) => $$"""
        table ip6 {{table}} {
          chain forward_filter {
            type filter hook forward priority filter; policy accept;
            iifname "wan" ct state established,related accept
            iifname "wan" counter drop
          }
        }

        """;
}
