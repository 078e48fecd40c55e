using System.Net;
using Punch.Core.PortMapping;

namespace Punch.Fuzz;

public static partial class SeedCorpus
{
    private static readonly PcpNonce MapNonce = new(0x0102030405060708, 0x090a0b0c);

    private static Dictionary<string, byte[]>? PortMappingMessages(string target) => target switch
    {
        "natpmp-address-response" => new()
        {
            ["valid"] = Write(new NatPmpExternalAddressResponse(NatPmpResultCode.Success, 0x1234, IPAddress.Parse("203.0.113.9")).WriteTo),
            ["refused"] = Write(new NatPmpExternalAddressResponse(NatPmpResultCode.NetworkFailure, 5, IPAddress.Any).WriteTo),
        },
        "natpmp-map-request" => new()
        {
            ["udp"] = Write(new NatPmpMappingRequest(MappedTransport.Udp, 40000, 40000, 7200).WriteTo),
            ["delete-tcp"] = Write(new NatPmpMappingRequest(MappedTransport.Tcp, 8080, 0, 0).WriteTo),
        },
        "natpmp-map-response" => new()
        {
            ["granted"] = Write(new NatPmpMappingResponse(MappedTransport.Udp, NatPmpResultCode.Success, 16, 40000, 50000, 3600).WriteTo),
            ["refused"] = Write(new NatPmpMappingResponse(MappedTransport.Tcp, NatPmpResultCode.NotAuthorized, 16, 80, 0, 0).WriteTo),
        },
        "pcp-map-request" => new()
        {
            ["ipv4"] = Write(new PcpMapRequest(MapNonce, MappedTransport.Udp, IPAddress.Parse("198.18.0.5"), 40000, 7200).WriteTo),
            ["ipv6-suggested"] = Write(new PcpMapRequest(MapNonce, MappedTransport.Tcp, IPAddress.Parse("2001:db8::7"), 443, 600, 8443, IPAddress.Parse("2001:db8::1")).WriteTo),
        },
        "pcp-map-response" => new()
        {
            ["granted"] = Write(new PcpMapResponse(MapNonce, MappedTransport.Udp, PcpResultCode.Success, 3600, 32, 40000, 50000, IPAddress.Parse("203.0.113.9")).WriteTo),
            ["no-resources"] = Write(new PcpMapResponse(MapNonce, MappedTransport.Udp, PcpResultCode.NoResources, 30, 1, 40000, 0, IPAddress.IPv6Any).WriteTo),
        },
        "ssdp-response" => new()
        {
            ["miniupnpd"] = System.Text.Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:00000000-0000-0000-0000-000000000000::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\n"
                + "LOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n"),
        },
        "igd-description" => new()
        {
            ["wan-ip-connection"] = System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><URLBase>http://192.168.1.1:5000</URLBase><device><deviceList><device><deviceList><device>"
                + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>/ctl/IPConn</controlURL></service></serviceList>"
                + "</device></deviceList></device></deviceList></device></root>"),
        },
        "upnp-soap" => new()
        {
            ["external-address"] = System.Text.Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewExternalIPAddress>203.0.113.2</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>"),
            ["fault"] = System.Text.Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">"
                + "<errorCode>718</errorCode></UPnPError></detail></s:Fault></s:Body></s:Envelope>"),
        },
        _ => null,
    };
}
