using System.Text;

namespace Punch.Core.PortMapping;

/// <summary>
/// A unicast answer to an SSDP M-SEARCH (UPnP Device Architecture 2.0 §1.3.3): an HTTP/1.1 200 status line and
/// headers over UDP. Only LOCATION (where the device description is) and ST (what answered) matter here.
/// </summary>
public sealed record SsdpResponse(Uri Location, string SearchTarget)
{
    /// <summary>The search target of an Internet Gateway Device (IGD:1; IGD:2 devices answer it too).</summary>
    public const string InternetGatewayDevice = "urn:schemas-upnp-org:device:InternetGatewayDevice:1";

    /// <summary>UDA §1.3.2: the multicast group and port of SSDP.</summary>
    public const string MulticastAddress = "239.255.255.250";
    public const int Port = 1900;

    /// <summary>A header line longer than this is not from a gateway; nor is a longer datagram (UDA caps SSDP messages well below it).</summary>
    private const int MaxLength = 4096;

    /// <summary>UDA §1.3.2: MX is how many seconds a device may wait before answering (1 is the least allowed).</summary>
    public static byte[] Search(string searchTarget = InternetGatewayDevice) => Encoding.ASCII.GetBytes(
        $"M-SEARCH * HTTP/1.1\r\nHOST: {MulticastAddress}:{Port}\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: {searchTarget}\r\n\r\n");

    /// <summary>Reads a 200 answer with an absolute http LOCATION; anything else (another status, a NOTIFY, no location, a non-http URL) is refused.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out SsdpResponse? response)
    {
        response = null;
        if (datagram.IsEmpty || datagram.Length > MaxLength)
        {
            return false;
        }

        // Latin-1 maps every byte to a char, so any input decodes; the headers that matter are ASCII.
        string text = Encoding.Latin1.GetString(datagram);
        var lines = text.Split('\n');
        var status = lines[0].TrimEnd('\r').Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1] != "200")
        {
            return false;
        }

        string? location = null;
        string searchTarget = string.Empty;
        foreach (var raw in lines.Skip(1))
        {
            var line = raw.TrimEnd('\r');
            int colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("LOCATION", StringComparison.OrdinalIgnoreCase))
            {
                location = value;
            }
            else if (name.Equals("ST", StringComparison.OrdinalIgnoreCase))
            {
                searchTarget = value;
            }
        }

        if (location is null || !Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return false;
        }

        response = new SsdpResponse(uri, searchTarget);
        return true;
    }
}
