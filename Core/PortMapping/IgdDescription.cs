using System.Xml;

namespace Punch.Core.PortMapping;

/// <summary>
/// What a UPnP device description (UDA 2.0 §2.3) says about port mapping: the first WANIPConnection (version 2 or 1)
/// or WANPPPConnection service anywhere in the device tree, and its control URL resolved against the description's
/// own URL (or its URLBase). Read with a bounded, DTD-free reader; malformed XML is refused, never thrown.
/// </summary>
public sealed record IgdDescription(string ServiceType, Uri ControlUrl)
{
    /// <summary>A router's description is a few kilobytes; this bounds what a hostile one can make us read.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Preferred first: IGD:2's WANIPConnection:2, then IGD:1's, then a PPP link's.</summary>
    public static readonly string[] ServiceTypes =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    public static bool TryRead(string xml, Uri descriptionUrl, out IgdDescription? description)
    {
        description = null;
        if (xml.Length > MaxLength)
        {
            return false;
        }

        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        string? urlBase = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), UpnpXml.Settings);
            string? serviceType = null;
            string? controlUrl = null;
            // ReadElementContentAsString leaves the reader on the node after the element: that node is looked at
            // next rather than skipped by another Read (adjacent <serviceType/><controlURL/> are the common case).
            bool onNextNode = false;
            while (!reader.EOF && (onNextNode || reader.Read()))
            {
                onNextNode = false;
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "service")
                {
                    serviceType = null;
                    controlUrl = null;
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "serviceType" or "controlURL" or "URLBase")
                {
                    string name = reader.LocalName;
                    string value = reader.ReadElementContentAsString().Trim();
                    onNextNode = true;
                    switch (name)
                    {
                        case "serviceType": serviceType = value; break;
                        case "controlURL": controlUrl = value; break;
                        default: urlBase = value; break;
                    }

                    if (serviceType is not null && controlUrl is not null)
                    {
                        found.TryAdd(serviceType, controlUrl);
                    }
                }
            }
        }
        catch (XmlException)
        {
            return false;
        }

        var baseUri = urlBase is not null && Uri.TryCreate(urlBase, UriKind.Absolute, out var declared) && declared.Scheme == Uri.UriSchemeHttp ? declared : descriptionUrl;
        foreach (var type in ServiceTypes)
        {
            if (found.TryGetValue(type, out var control) && Uri.TryCreate(baseUri, control, out var url) && url.Scheme == Uri.UriSchemeHttp)
            {
                description = new IgdDescription(type, url);
                return true;
            }
        }

        return false;
    }
}
