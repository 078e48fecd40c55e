namespace Punch.Lab.Tests.Topology;

/// <summary>A host behind a lab NAT: its namespace and LAN address.</summary>
public sealed record LabHost(string Namespace, string Address, NatSite Site)
{
    public override string ToString() => $"{Site.Name} host {Address}";
}
