using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Punch.Core.PortMapping;

namespace Punch.Peer.Tests.PortMapping;

/// <summary>
/// A UPnP Internet Gateway Device on loopback: an SSDP responder on a real UDP socket (the multicast group's stand-in,
/// any free port) that answers M-SEARCH with a LOCATION on a real HTTP listener, which serves an IGD:1 device
/// description and the WANIPConnection:1 SOAP actions. <see cref="LocationHost"/> lets a test point LOCATION elsewhere.
/// </summary>
internal sealed class FakeUpnpGateway : IDisposable
{
    private readonly Socket _ssdp = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly HttpListener _http = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _ssdpLoop;
    private readonly Task _httpLoop;
    private readonly int _httpPort;

    public FakeUpnpGateway(IPAddress address)
    {
        _ssdp.Bind(new IPEndPoint(address, 0));
        SsdpEndPoint = (IPEndPoint)_ssdp.LocalEndPoint!;
        LocationHost = address.ToString();
        _httpPort = FreeTcpPort(address);
        _http.Prefixes.Add($"http://{address}:{_httpPort}/");
        _http.Start();
        _ssdpLoop = Task.Run(SsdpLoopAsync);
        _httpLoop = Task.Run(HttpLoopAsync);
    }

    public IPEndPoint SsdpEndPoint { get; }
    public string LocationHost { get; set; }
    public IPAddress ExternalAddress { get; } = IPAddress.Parse("203.0.113.6");

    /// <summary>External port → internal client:port, as the router holds them.</summary>
    public ConcurrentDictionary<int, string> Mappings { get; } = new();
    public ConcurrentQueue<string> Actions { get; } = new();

    private async Task SsdpLoopAsync()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await _ssdp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                string search = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
                if (search.StartsWith("M-SEARCH", StringComparison.Ordinal) && search.Contains(SsdpResponse.InternetGatewayDevice, StringComparison.Ordinal))
                {
                    var answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: {SsdpResponse.InternetGatewayDevice}\r\n"
                        + $"USN: uuid:fake::{SsdpResponse.InternetGatewayDevice}\r\nEXT:\r\nSERVER: Linux UPnP/1.1 fake/1\r\nLOCATION: http://{LocationHost}:{_httpPort}/rootDesc.xml\r\n\r\n");
                    await _ssdp.SendToAsync(answer, SocketFlags.None, received.RemoteEndPoint, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private async Task HttpLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _http.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or HttpListenerException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            string body;
            if (context.Request.HttpMethod == "GET" && context.Request.Url!.AbsolutePath == "/rootDesc.xml")
            {
                body = Description;
            }
            else
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                string soap = await reader.ReadToEndAsync();
                string action = context.Request.Headers["SOAPAction"] ?? string.Empty;
                Actions.Enqueue(action);
                body = Soap(action, soap, response);
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            response.ContentType = "text/xml; charset=\"utf-8\"";
            response.ContentLength64 = bytes.Length;
            await response.OutputStream.WriteAsync(bytes);
        }
    }

    private string Soap(string action, string soap, HttpListenerResponse response)
    {
        const string Service = "urn:schemas-upnp-org:service:WANIPConnection:1";
        if (action.EndsWith("#GetExternalIPAddress\"", StringComparison.Ordinal))
        {
            return Envelope($"<u:GetExternalIPAddressResponse xmlns:u=\"{Service}\"><NewExternalIPAddress>{ExternalAddress}</NewExternalIPAddress></u:GetExternalIPAddressResponse>");
        }

        int port = int.Parse(Between(soap, "NewExternalPort"), System.Globalization.CultureInfo.InvariantCulture);
        if (action.EndsWith("#AddPortMapping\"", StringComparison.Ordinal))
        {
            Mappings[port] = $"{Between(soap, "NewInternalClient")}:{Between(soap, "NewInternalPort")}";
            return Envelope($"<u:AddPortMappingResponse xmlns:u=\"{Service}\"/>");
        }

        if (action.EndsWith("#DeletePortMapping\"", StringComparison.Ordinal) && Mappings.TryRemove(port, out _))
        {
            return Envelope($"<u:DeletePortMappingResponse xmlns:u=\"{Service}\"/>");
        }

        response.StatusCode = 500;
        return Envelope("<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\">"
            + "<errorCode>714</errorCode><errorDescription>NoSuchEntryInArray</errorDescription></UPnPError></detail></s:Fault>");
    }

    private static string Between(string xml, string element)
    {
        int start = xml.IndexOf($"<{element}>", StringComparison.Ordinal) + element.Length + 2;
        return xml[start..xml.IndexOf($"</{element}>", start, StringComparison.Ordinal)];
    }

    private static string Envelope(string body) =>
        $"<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>{body}</s:Body></s:Envelope>";

    /// <summary>An IGD:1 description trimmed to the device tree a router has (WANDevice → WANConnectionDevice → WANIPConnection).</summary>
    private const string Description = """
        <?xml version="1.0"?>
        <root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>0</minor></specVersion>
        <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>fake router</friendlyName>
        <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId>
        <controlURL>/ctl/L3F</controlURL><eventSubURL>/evt/L3F</eventSubURL><SCPDURL>/L3F.xml</SCPDURL></service></serviceList>
        <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
        <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
        <serviceList><service><serviceType>urn:schemas-upnp-org:service:WANIPConnection:1</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId>
        <controlURL>/ctl/IPConn</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
        </device></deviceList></device></deviceList></device></root>
        """;

    private static int FreeTcpPort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _ssdp.Dispose();
        _http.Close();
        Task.WhenAll(_ssdpLoop, _httpLoop).Wait(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
