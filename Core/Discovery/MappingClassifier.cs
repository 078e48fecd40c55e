using System.Net;

namespace Punch.Core.Discovery;

/// <summary>RFC 5780 §4.3's comparisons of the mapped addresses one local socket got toward different server endpoints.</summary>
public static class MappingClassifier
{
    /// <summary>
    /// Test I (primary address and port), test II (alternate address, primary port) and test III (alternate address and port).
    /// Test II equal to test I: endpoint-independent; else test III equal to test II: address-dependent; else address-and-port-dependent.
    /// Null for a test that got no answer.
    /// </summary>
    public static NatBehaviour Classify(IPEndPoint? testI, IPEndPoint? testII, IPEndPoint? testIII)
    {
        if (testI is null || testII is null)
        {
            return NatBehaviour.Unknown;
        }

        if (testI.Equals(testII))
        {
            return NatBehaviour.EndpointIndependent;
        }

        return testIII is null ? NatBehaviour.Unknown
            : testIII.Equals(testII) ? NatBehaviour.AddressDependent : NatBehaviour.AddressAndPortDependent;
    }

    /// <summary>
    /// A server with only an alternate port (no second address) allows one comparison: the same address and
    /// another port. Equal mappings are taken as endpoint-independent (a NAT that maps per address but not per
    /// port would also give that); different ones mean at least address-and-port-dependent.
    /// </summary>
    public static NatBehaviour ClassifyByPortOnly(IPEndPoint? primary, IPEndPoint? otherPort) =>
        primary is null || otherPort is null ? NatBehaviour.Unknown
        : primary.Equals(otherPort) ? NatBehaviour.EndpointIndependent : NatBehaviour.AddressAndPortDependent;
}
