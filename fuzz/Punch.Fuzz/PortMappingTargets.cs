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
        new("ssdp-response", "SsdpResponse.TryRead of an M-SEARCH answer from anyone on the LAN", input => SsdpResponse.TryRead(input, out _)),
        new("igd-description", "IgdDescription.TryRead of a device description (bounded, DTD-free XML), as UTF-8", input =>
            IgdDescription.TryRead(System.Text.Encoding.UTF8.GetString(input), new Uri("http://192.168.1.1:5000/rootDesc.xml"), out _)),
        new("upnp-soap", "UpnpSoap.TryReadExternalAddress and TryReadErrorCode of a SOAP answer or fault, as UTF-8", input =>
        {
            string text = System.Text.Encoding.UTF8.GetString(input);
            UpnpSoap.TryReadExternalAddress(text, out _);
            UpnpSoap.TryReadErrorCode(text, out _);
        }),
    ];
}
