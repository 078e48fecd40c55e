using System.Net;
using System.Text;
using Punch.Core.PortMapping;

namespace Punch.Core.Tests.PortMapping;

/// <summary>
/// UPnP IGD's texts: SSDP answers, device descriptions and SOAP bodies, with bytes as real routers send them
/// (miniupnpd's answers, trimmed), and random and cut inputs that must be refused without an exception.
/// </summary>
public sealed class UpnpWireTests
{
    private const string MiniupnpdSsdp =
        "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
        + "USN: uuid:6c9c8b3a-1d0a-4c4b-9b2e-000000000000::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\n"
        + "SERVER: Debian/12 UPnP/1.1 MiniUPnPd/2.3.1\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\nOPT: \"http://schemas.upnp.org/upnp/1/0/\"; ns=01\r\n\r\n";

    private const string Description = """
        <?xml version="1.0"?>
        <root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>1</minor></specVersion>
        <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType>
        <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service></serviceList>
        <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType><deviceList><device>
        <deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType><serviceList>
        <service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
        <SCPDURL>/WANIPCn.xml</SCPDURL><controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL></service>
        </serviceList></device></deviceList></device></deviceList></device></root>
        """;

    private static readonly Uri DescriptionUrl = new("http://192.168.1.1:5000/rootDesc.xml");

    [Fact]
    public void A_miniupnpd_ssdp_answer_gives_its_location_and_search_target()
    {
        Assert.True(SsdpResponse.TryRead(Encoding.ASCII.GetBytes(MiniupnpdSsdp), out var response));
        Assert.Equal(DescriptionUrl, response!.Location);
        Assert.Equal(SsdpResponse.InternetGatewayDevice, response.SearchTarget);
    }

    [Theory]
    [InlineData("HTTP/1.1 404 Not Found\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n")]
    [InlineData("NOTIFY * HTTP/1.1\r\nLOCATION: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nST: x\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: https://192.168.1.1/rootDesc.xml\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: /rootDesc.xml\r\n\r\n")]
    [InlineData("")]
    public void Ssdp_answers_without_a_200_and_an_absolute_http_location_are_refused(string text) =>
        Assert.False(SsdpResponse.TryRead(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void The_search_asks_for_an_internet_gateway_device_on_the_multicast_group()
    {
        string search = Encoding.ASCII.GetString(SsdpResponse.Search());
        Assert.Equal("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n", search);
    }

    [Fact]
    public void The_description_gives_the_wan_ip_connection_control_url_resolved_against_the_location()
    {
        Assert.True(IgdDescription.TryRead(Description, DescriptionUrl, out var description));
        Assert.Equal("urn:schemas-upnp-org:service:WANIPConnection:1", description!.ServiceType);
        Assert.Equal(new Uri("http://192.168.1.1:5000/ctl/IPConn"), description.ControlUrl);
    }

    [Fact]
    public void Wan_ip_connection_2_is_preferred_and_ppp_is_the_last_choice()
    {
        string both = Description.Replace("</serviceList></device></deviceList></device></deviceList>",
            "<service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:2</serviceType><controlURL>/ctl/IPConn2</controlURL></service></serviceList></device></deviceList></device></deviceList>", StringComparison.Ordinal);
        Assert.True(IgdDescription.TryRead(both, DescriptionUrl, out var description));
        Assert.Equal("/ctl/IPConn2", description!.ControlUrl.AbsolutePath);

        string ppp = Description.Replace("WANIPConnection:1", "WANPPPConnection:1", StringComparison.Ordinal);
        Assert.True(IgdDescription.TryRead(ppp, DescriptionUrl, out description));
        Assert.Equal("urn:schemas-upnp-org:service:WANPPPConnection:1", description!.ServiceType);
    }

    [Theory]
    [InlineData("<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/x</controlURL></service></serviceList></device></root>")]
    [InlineData("<root><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>file:///etc/passwd</controlURL></service></root>")]
    [InlineData("<!DOCTYPE root [<!ENTITY x \"aaaaaaaa\">]><root><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><controlURL>&x;</controlURL></service></root>")]
    [InlineData("<root><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType>")]
    [InlineData("not xml at all")]
    public void Descriptions_without_a_usable_service_or_with_a_dtd_are_refused(string xml) =>
        Assert.False(IgdDescription.TryRead(xml, DescriptionUrl, out _));

    [Fact]
    public void Soap_bodies_name_the_action_and_escape_the_description()
    {
        string body = UpnpSoap.AddPortMappingRequest("urn:schemas-upnp-org:service:WANIPConnection:1", 40000, MappedTransport.Udp, 40001, IPAddress.Parse("192.168.1.20"), "a<b", 7200);
        Assert.Contains("<u:AddPortMapping xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\">", body, StringComparison.Ordinal);
        Assert.Contains("<NewExternalPort>40000</NewExternalPort><NewProtocol>UDP</NewProtocol><NewInternalPort>40001</NewInternalPort><NewInternalClient>192.168.1.20</NewInternalClient>", body, StringComparison.Ordinal);
        Assert.Contains("<NewPortMappingDescription>a&lt;b</NewPortMappingDescription><NewLeaseDuration>7200</NewLeaseDuration>", body, StringComparison.Ordinal);
        Assert.Equal("\"urn:schemas-upnp-org:service:WANIPConnection:1#DeletePortMapping\"", UpnpSoap.ActionHeader("urn:schemas-upnp-org:service:WANIPConnection:1", UpnpSoap.DeletePortMapping));
    }

    [Fact]
    public void Soap_answers_give_the_external_address_or_the_upnp_error_code()
    {
        const string Address = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
            + "<u:GetExternalIPAddressResponse xmlns:u=\"urn:schemas-upnp-org:service:WANIPConnection:1\"><NewExternalIPAddress>203.0.113.2</NewExternalIPAddress>"
            + "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
        Assert.True(UpnpSoap.TryReadExternalAddress(Address, out var address));
        Assert.Equal(IPAddress.Parse("203.0.113.2"), address);
        Assert.False(UpnpSoap.TryReadExternalAddress(Address.Replace("203.0.113.2", "2001:db8::1", StringComparison.Ordinal), out _));

        const string Fault = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>"
            + "<detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode><errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        Assert.True(UpnpSoap.TryReadErrorCode(Fault, out int code));
        Assert.Equal(718, code);
        Assert.False(UpnpSoap.TryReadErrorCode("<x><errorCode>-1</errorCode></x>", out _));
    }

    [Fact]
    public void Random_and_cut_inputs_never_throw()
    {
        var random = new Random(15);
        string[] valid = [MiniupnpdSsdp, Description, "<x><errorCode>718</errorCode><NewExternalIPAddress>1.2.3.4</NewExternalIPAddress></x>"];
        for (int i = 0; i < 3000; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 300)];
                random.NextBytes(bytes);
            }
            else
            {
                bytes = Encoding.UTF8.GetBytes(valid[i % valid.Length]);
                bytes = bytes[..random.Next(0, bytes.Length + 1)];
                if (bytes.Length > 0)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            string text = Encoding.Latin1.GetString(bytes);
            SsdpResponse.TryRead(bytes, out _);
            IgdDescription.TryRead(text, DescriptionUrl, out _);
            UpnpSoap.TryReadExternalAddress(text, out _);
            UpnpSoap.TryReadErrorCode(text, out _);
        }

        Assert.False(IgdDescription.TryRead(new string('<', IgdDescription.MaxLength + 1), DescriptionUrl, out _));
    }
}
