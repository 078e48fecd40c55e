using System.Globalization;
using System.Net;
using System.Security;

namespace Punch.Core.PortMapping;

/// <summary>
/// The three SOAP actions of WANIPConnection (UPnP IGD WANIPConnection:1 §2.4.16-18, :2 §2.5): bodies to send and
/// their answers read. UPnP has no lifetime renewal message: a mapping is renewed by adding it again.
/// </summary>
public static class UpnpSoap
{
    public const string GetExternalIPAddress = nameof(GetExternalIPAddress);
    public const string AddPortMapping = nameof(AddPortMapping);
    public const string DeletePortMapping = nameof(DeletePortMapping);

    /// <summary>The SOAPAction header (UDA 2.0 §3.2.1): the service type and the action.</summary>
    public static string ActionHeader(string serviceType, string action) => $"\"{serviceType}#{action}\"";

    public static string ExternalAddressRequest(string serviceType) => Envelope(serviceType, GetExternalIPAddress, string.Empty);

    /// <summary>
    /// NewRemoteHost empty: from anyone (the point of the mapping). NewLeaseDuration in seconds; IGD:1 routers may
    /// only take 0 (forever), the caller retries with 0 on error 725 and then deletes on exit.
    /// </summary>
    public static string AddPortMappingRequest(string serviceType, ushort externalPort, MappedTransport transport, ushort internalPort, IPAddress internalClient, string description, uint leaseSeconds) =>
        Envelope(serviceType, AddPortMapping,
            $"<NewRemoteHost></NewRemoteHost><NewExternalPort>{externalPort}</NewExternalPort><NewProtocol>{Protocol(transport)}</NewProtocol>"
            + $"<NewInternalPort>{internalPort}</NewInternalPort><NewInternalClient>{internalClient}</NewInternalClient><NewEnabled>1</NewEnabled>"
            + $"<NewPortMappingDescription>{SecurityElement.Escape(description)}</NewPortMappingDescription><NewLeaseDuration>{leaseSeconds}</NewLeaseDuration>");

    public static string DeletePortMappingRequest(string serviceType, ushort externalPort, MappedTransport transport) =>
        Envelope(serviceType, DeletePortMapping,
            $"<NewRemoteHost></NewRemoteHost><NewExternalPort>{externalPort}</NewExternalPort><NewProtocol>{Protocol(transport)}</NewProtocol>");

    /// <summary>The NewExternalIPAddress of a GetExternalIPAddress answer, when it is an IPv4 address.</summary>
    public static bool TryReadExternalAddress(string xml, out IPAddress? address)
    {
        address = null;
        return UpnpXml.FirstElement(xml, "NewExternalIPAddress") is { } text && IPAddress.TryParse(text, out address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
    }

    /// <summary>A SOAP fault's UPnPError errorCode (UDA 2.0 §3.2.2), e.g. 718 ConflictInMappingEntry, 725 OnlyPermanentLeasesSupported.</summary>
    public static bool TryReadErrorCode(string xml, out int code)
    {
        code = 0;
        return UpnpXml.FirstElement(xml, "errorCode") is { } text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out code);
    }

    private static string Protocol(MappedTransport transport) => transport == MappedTransport.Udp ? "UDP" : "TCP";

    private static string Envelope(string serviceType, string action, string arguments) =>
        "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
        + $"<s:Body><u:{action} xmlns:u=\"{SecurityElement.Escape(serviceType)}\">{arguments}</u:{action}></s:Body></s:Envelope>\r\n";
}
