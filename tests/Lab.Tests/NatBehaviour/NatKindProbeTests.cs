using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>
/// Each lab router really behaves as its kind (RFC 4787 §4.1 mapping, §5 filtering), checked with
/// the probe before any punching test relies on it.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatKindProbeTests(NatLab lab, ITestOutputHelper output)
{
    /// <summary>Same address as the first echo, another port: passes address-dependent filtering, not address-and-port-dependent.</summary>
    private const string ContactedAddressOtherPort = $"{NatLab.ServerAddress}:4002";

    /// <summary>An address the host never sent to (the mapping probe contacts both server addresses): passes only endpoint-independent filtering.</summary>
    private const string UncontactedAddress = $"{NatLab.StrangerAddress}:4002";

    [LabTheory]
    [InlineData(NatKind.FullCone, true, true, true)]
    [InlineData(NatKind.AddressRestricted, true, true, false)]
    [InlineData(NatKind.PortRestricted, true, false, false)]
    [InlineData(NatKind.Symmetric, false, false, false)]
    public async Task Router_behaves_as_its_kind(NatKind kind, bool endpointIndependentMapping, bool admitsOtherPortOfContactedAddress, bool admitsUncontactedAddress)
    {
        for (int instance = 0; instance < 2; instance++)
        {
            await AssertBehaviourAsync(lab.Site(kind, instance), endpointIndependentMapping, admitsOtherPortOfContactedAddress, admitsUncontactedAddress);
        }
    }

    [LabFact]
    public async Task Shared_router_of_the_same_nat_pair_is_port_restricted()
    {
        await AssertBehaviourAsync(lab.SameNat, endpointIndependentMapping: true, admitsOtherPortOfContactedAddress: false, admitsUncontactedAddress: false);
    }

    private async Task AssertBehaviourAsync(NatSite site, bool endpointIndependentMapping, bool admitsOtherPortOfContactedAddress, bool admitsUncontactedAddress)
    {
        // A port per site, so a rerun against the same lab meets no conntrack entry of another site's probe.
        int localPort = 20000 + (site.Index * 10) + Random.Shared.Next(10);
        var result = await NatProbe.RunAsync(lab, site.Hosts[0], localPort, [ContactedAddressOtherPort, UncontactedAddress]);
        output.WriteLine($"{site.Name} ({site.Kind}) from :{localPort}: mapped {string.Join(", ", result.Mapped.Select(m => $"{m.Key} -> {m.Value}"))}; unsolicited received from [{string.Join(", ", result.ReceivedFrom)}]");

        var mappings = result.Mapped.Values.ToList();
        Assert.All(mappings, m => Assert.StartsWith(site.WanAddress + ":", m, StringComparison.Ordinal));
        if (endpointIndependentMapping)
        {
            // RFC 4787 §4.1 EIM, and port preservation (§4.2.1): every echo sees the host's own port.
            Assert.All(mappings, m => Assert.Equal($"{site.WanAddress}:{localPort}", m));
        }
        else
        {
            Assert.Equal(mappings.Count, mappings.Distinct().Count());
        }

        Assert.Equal(admitsOtherPortOfContactedAddress, result.ReceivedFrom.Contains(ContactedAddressOtherPort));
        Assert.Equal(admitsUncontactedAddress, result.ReceivedFrom.Contains(UncontactedAddress));
    }
}
