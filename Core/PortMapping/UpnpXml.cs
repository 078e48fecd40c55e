using System.Xml;

namespace Punch.Core.PortMapping;

/// <summary>How UPnP XML from the network is read: no DTD (no entity expansion, no external fetch), bounded size.</summary>
internal static class UpnpXml
{
    public static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = IgdDescription.MaxLength,
        IgnoreComments = true,
        IgnoreWhitespace = true,
    };

    /// <summary>The text of the first element named <paramref name="localName"/> (any namespace), or null; malformed XML gives null.</summary>
    public static string? FirstElement(string xml, string localName)
    {
        if (xml.Length > IgdDescription.MaxLength)
        {
            return null;
        }

        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), Settings);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == localName)
                {
                    return reader.ReadElementContentAsString().Trim();
                }
            }
        }
        catch (XmlException)
        {
        }

        return null;
    }
}
