using Punch.Core.PortMapping;

namespace Punch.Fuzz;

public static partial class FuzzTargets
{
    /// <summary>What a gateway's answers (and, for the test gateways, the requests) to NAT-PMP and PCP look like to the readers.</summary>
    private static FuzzTarget[] PortMappingTargets() =>
    [
        Message<NatPmpExternalAddressResponse>("natpmp-address-response", NatPmpExternalAddressResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<NatPmpMappingRequest>("natpmp-map-request", NatPmpMappingRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<NatPmpMappingResponse>("natpmp-map-response", NatPmpMappingResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<PcpMapRequest>("pcp-map-request", PcpMapRequest.TryRead, (m, d) => m.WriteTo(d)),
        Message<PcpMapResponse>("pcp-map-response", PcpMapResponse.TryRead, (m, d) => m.WriteTo(d)),
    ];
}
