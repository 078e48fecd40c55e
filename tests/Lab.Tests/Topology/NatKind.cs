namespace Punch.Lab.Tests.Topology;

/// <summary>The NAT behaviours the lab builds, in RFC 4787 terms (§4.1 mapping, §5 filtering).</summary>
public enum NatKind
{
    /// <summary>Endpoint-independent mapping and filtering ("full cone").</summary>
    FullCone,

    /// <summary>Endpoint-independent mapping, address-dependent filtering.</summary>
    AddressRestricted,

    /// <summary>Endpoint-independent mapping, address-and-port-dependent filtering: Linux MASQUERADE.</summary>
    PortRestricted,

    /// <summary>Address-and-port-dependent mapping and filtering: MASQUERADE with fully random ports.</summary>
    Symmetric,
}

public static class NatKindExtensions
{
    /// <summary>RFC 4787 §4.1: the same mapping for every destination; what makes a server-reflexive candidate usable by anyone.</summary>
    public static bool HasEndpointIndependentMapping(this NatKind kind) => kind != NatKind.Symmetric;

    public static string ShortName(this NatKind kind) => kind switch
    {
        NatKind.FullCone => "FC",
        NatKind.AddressRestricted => "AR",
        NatKind.PortRestricted => "PR",
        _ => "SYM",
    };
}

/// <summary>A host behind a lab NAT: its namespace and LAN address.</summary>
public sealed record LabHost(string Namespace, string Address, NatSite Site)
{
    public override string ToString() => $"{Site.Name} host {Address}";
}

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
