using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Ipv6;

/// <summary>
/// A site of the IPv6 lab: a router with an IPv4 NAT of <see cref="NatSite.Kind"/> (as in the IPv4 lab)
/// and a stateful IPv6 firewall without NAT66, and one host with IPv4, IPv6 or both. IPv6: the router's
/// WAN is 2001:db8::(10+index) on the internet's 2001:db8::/64, its LAN 2001:db8:index::/64 with the
/// host at ::2; the host's IPv6 address is its public one (no NAT66).
/// </summary>
public sealed record DualStackSite(NatSite Nat, bool HasIPv4, bool HasIPv6)
{
    public string Name => Nat.Name;

    public string RouterNamespace => Nat.RouterNamespace;

    public string HostNamespace => Nat.Hosts[0].Namespace;

    public LabHost Host => Nat.Hosts[0];

    public string WanAddress6 => $"2001:db8::{10 + Nat.Index}";

    public string LanPrefix6 => $"2001:db8:{Nat.Index}::";

    public string RouterLanAddress6 => $"{LanPrefix6}1";

    public string HostAddress6 => $"{LanPrefix6}2";

    /// <summary>How this host's peer names the server: over IPv4 when it has IPv4 (as most peers would), else over IPv6.</summary>
    public string ServerArgument => HasIPv4 ? Ipv6Lab.ServerAddress : $"[{Ipv6Lab.ServerAddress6}]:{Ipv6Lab.RendezvousPort}";

    public override string ToString() => $"{Name} ({(HasIPv4 ? HasIPv6 ? "dual-stack" : "IPv4 only" : "IPv6 only")}, IPv4 {Nat.Kind})";
}
