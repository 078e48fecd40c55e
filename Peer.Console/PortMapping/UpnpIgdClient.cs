using System.Net;
using System.Net.Sockets;
using System.Text;
using Punch.Core.PortMapping;

namespace Punch.Peer.PortMapping;

/// <summary>
/// UPnP IGD: an SSDP M-SEARCH to <paramref name="ssdpTarget"/> (the multicast group, or a unicast address in tests),
/// the device description of the first gateway that answers, its WANIPConnection (or WANPPPConnection) control URL,
/// then SOAP GetExternalIPAddress and AddPortMapping; renewal is AddPortMapping again (IGD has no refresh), deletion
/// DeletePortMapping. A LOCATION that points anywhere but the address that answered is counted and dropped: an SSDP
/// answer must not send our HTTP requests to a third host. Each step has the time limit; bodies are capped in size.
/// </summary>
internal sealed class UpnpIgdClient(IPEndPoint ssdpTarget, TimeSpan ssdpWait, TimeSpan httpWait, PortMappingCounters counters) : IPortMappingClient
{
    /// <summary>UPnP error 718: the external port is taken by another mapping; 725: only permanent leases (IGD:1 routers).</summary>
    private const int ConflictInMappingEntry = 718;
    private const int OnlyPermanentLeasesSupported = 725;
    private const string Description = "punch";

    private Task<Igd?>? _discovery;

    public PortMappingMethod Method => PortMappingMethod.Upnp;

    /// <summary>Searches (SSDP) and reads the description while PCP and NAT-PMP are tried: a read-only exchange.</summary>
    public void Prepare(CancellationToken cancellationToken) => _discovery ??= Task.Run(() => DiscoverAsync(cancellationToken), CancellationToken.None);

    /// <summary>What a renewal and a delete need: the control URL and the service, and our address as the router sees it.</summary>
    private sealed record Igd(IgdDescription Service, IPAddress LocalAddress);

    public async Task<PortMappingAttempt> MapAsync(ushort internalPort, TimeSpan lifetime, PortMappingGrant? renewing, CancellationToken cancellationToken)
    {
        using var http = CreateHttp();
        try
        {
            var igd = renewing?.Handle as Igd ?? await (_discovery ?? DiscoverAsync(cancellationToken));
            if (igd is null)
            {
                return new PortMappingAttempt(Method, false, null, "no Internet Gateway Device answered SSDP");
            }

            var addressAnswer = await SoapAsync(http, igd, UpnpSoap.GetExternalIPAddress, UpnpSoap.ExternalAddressRequest(igd.Service.ServiceType), cancellationToken);
            if (!UpnpSoap.TryReadExternalAddress(addressAnswer.Body, out var external) || external is null || external.Equals(IPAddress.Any))
            {
                counters.CountDropped();
                return new PortMappingAttempt(Method, true, null, "the gateway gave no usable external address");
            }

            ushort externalPort = (ushort)(renewing?.External.Port ?? internalPort);
            uint lease = (uint)lifetime.TotalSeconds;
            for (int tries = 0; tries < 3; tries++)
            {
                var body = UpnpSoap.AddPortMappingRequest(igd.Service.ServiceType, externalPort, MappedTransport.Udp, internalPort, igd.LocalAddress, Description, lease);
                var answer = await SoapAsync(http, igd, UpnpSoap.AddPortMapping, body, cancellationToken);
                if (answer.Succeeded)
                {
                    // A permanent lease (0) is renewed like the others, so the mapping is refreshed and still deleted on exit.
                    var granted = lease == 0 ? lifetime : TimeSpan.FromSeconds(lease);
                    var grant = new PortMappingGrant(Method, new IPEndPoint(external, externalPort), internalPort, granted, igd);
                    return new PortMappingAttempt(Method, true, grant, $"mapped {grant.External} ({igd.Service.ServiceType})");
                }

                UpnpSoap.TryReadErrorCode(answer.Body, out int code);
                if (code == OnlyPermanentLeasesSupported && lease != 0)
                {
                    lease = 0;
                }
                else if (code == ConflictInMappingEntry)
                {
                    externalPort = (ushort)Random.Shared.Next(20_000, 60_000);
                }
                else
                {
                    return new PortMappingAttempt(Method, true, null, $"AddPortMapping refused: {(code == 0 ? $"HTTP {(int)answer.Status}" : $"UPnP error {code}")}");
                }
            }

            return new PortMappingAttempt(Method, true, null, "AddPortMapping refused three times");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return new PortMappingAttempt(Method, renewing is not null, null, $"the gateway's HTTP service failed: {e.Message}");
        }
    }

    public async Task<bool> DeleteAsync(PortMappingGrant grant, CancellationToken cancellationToken)
    {
        if (grant.Handle is not Igd igd)
        {
            return false;
        }

        using var http = CreateHttp();
        try
        {
            var answer = await SoapAsync(http, igd, UpnpSoap.DeletePortMapping, UpnpSoap.DeletePortMappingRequest(igd.Service.ServiceType, (ushort)grant.External.Port, MappedTransport.Udp), cancellationToken);
            return answer.Succeeded;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

#pragma warning disable CA2000 // ownership passes to the HttpClient, which disposes its handler
    private HttpClient CreateHttp() => new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = httpWait })
    {
        Timeout = httpWait,
        MaxResponseContentBufferSize = IgdDescription.MaxLength,
    };
#pragma warning restore CA2000

    private async Task<Igd?> DiscoverAsync(CancellationToken cancellationToken)
    {
        var location = await SearchAsync(cancellationToken);
        if (location is null)
        {
            return null;
        }

        using var http = CreateHttp();
        string xml;
        try
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, location.Location);
            get.Headers.ConnectionClose = true;
            using var response = await http.SendAsync(get, cancellationToken);
            xml = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (!IgdDescription.TryRead(xml, location.Location, out var service) || service is null || !SameHost(service.ControlUrl, location.Location))
        {
            counters.CountDropped();
            return null;
        }

        return new Igd(service, LocalAddressToward(IPAddress.Parse(location.Location.Host)));
    }

    /// <summary>The first SSDP answer (within the wait) whose LOCATION is on the address that sent it.</summary>
    private async Task<SsdpResponse?> SearchAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Any, 0));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ssdpWait);
        var search = SsdpResponse.Search();
        var buffer = new byte[4096];
        try
        {
            // UDA §1.3.2: SSDP is sent more than once because UDP is lossy; twice within our short wait.
            await socket.SendToAsync(search, SocketFlags.None, ssdpTarget, timeout.Token);
            await socket.SendToAsync(search, SocketFlags.None, ssdpTarget, timeout.Token);
            for (int received = 0; received < 32; received++)
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), timeout.Token);
                var from = (IPEndPoint)result.RemoteEndPoint;
                if (SsdpResponse.TryRead(buffer.AsSpan(0, result.ReceivedBytes), out var response) && response is not null
                    && IPAddress.TryParse(response.Location.Host, out var host) && host.Equals(from.Address))
                {
                    return response;
                }

                counters.CountDropped();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
            // No multicast route (no default interface), or an ICMP error for the search: no UPnP here.
        }

        return null;
    }

    private async Task<(bool Succeeded, HttpStatusCode Status, string Body)> SoapAsync(HttpClient http, Igd igd, string action, string body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, igd.Service.ControlUrl)
        {
            Content = new StringContent(body, Encoding.UTF8, "text/xml"),
        };
        request.Content.Headers.ContentType!.CharSet = "\"utf-8\"";
        // One request per connection, as routers' small HTTP servers (miniupnpd) work: a pooled connection the
        // router has already closed would fail the next POST, which is not retried.
        request.Headers.ConnectionClose = true;
        request.Headers.TryAddWithoutValidation("SOAPAction", UpnpSoap.ActionHeader(igd.Service.ServiceType, action));
        using var response = await http.SendAsync(request, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return (response.IsSuccessStatusCode, response.StatusCode, text);
    }

    private static bool SameHost(Uri a, Uri b) => string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>Our address on the route to the router: the InternalClient the mapping points at.</summary>
    private static IPAddress LocalAddressToward(IPAddress router)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(new IPEndPoint(router, SsdpResponse.Port));
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }
}
