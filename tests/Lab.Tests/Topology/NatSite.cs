namespace Punch.Lab.Tests.Topology;

/// <summary>
/// One NAT router and its LAN: WAN 203.0.113.(10+index), LAN 198.18.index.0/24 with the router at
/// .1 and its hosts from .2 on. Namespaces are named after the lab's prefix.
/// </summary>
public sealed record NatSite(string Name, NatKind Kind, int Index, string Prefix, int HostCount)
{
    public string RouterNamespace => $"{Prefix}-r{Index}";

    public string WanAddress => $"203.0.113.{10 + Index}";

    public string LanPrefix => $"198.18.{Index}";

    public string RouterLanAddress => $"{LanPrefix}.1";

    public IReadOnlyList<LabHost> Hosts => [.. Enumerable.Range(0, HostCount).Select(i => new LabHost($"{Prefix}-h{Index}{(char)('a' + i)}", $"{LanPrefix}.{2 + i}", this))];
}
