using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Punch.Peer.PortMapping;

/// <summary>
/// The router to ask for a mapping: the default route's gateway. On Linux from <c>/proc/net/route</c> (the kernel's
/// table, no tool needed); elsewhere from the interfaces' gateway addresses; null when there is none (then only
/// UPnP's multicast search can find a gateway).
/// </summary>
internal static class DefaultGateway
{
    private const string RouteTable = "/proc/net/route";

    public static IPAddress? Find()
    {
        try
        {
            if (File.Exists(RouteTable))
            {
                return FromRouteTable(File.ReadAllText(RouteTable));
            }

            return NetworkInterface.GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().GatewayAddresses)
                .Select(g => g.Address)
                .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NetworkInformationException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The gateway of the first up (RTF_UP) route with destination 0.0.0.0 and mask 0 that has a gateway (RTF_GATEWAY).
    /// Fields are hexadecimal in host byte order, which is little-endian on every Linux Punch runs on.
    /// </summary>
    public static IPAddress? FromRouteTable(string table)
    {
        const int RouteUp = 0x1;
        const int RouteGateway = 0x2;
        foreach (var line in table.Split('\n').Skip(1))
        {
            var fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8
                || !uint.TryParse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint destination)
                || !uint.TryParse(fields[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint gateway)
                || !int.TryParse(fields[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int flags)
                || !uint.TryParse(fields[7], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out uint mask))
            {
                continue;
            }

            if (destination == 0 && mask == 0 && gateway != 0 && (flags & (RouteUp | RouteGateway)) == (RouteUp | RouteGateway))
            {
                Span<byte> bytes = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, gateway);
                return new IPAddress(bytes);
            }
        }

        return null;
    }
}
