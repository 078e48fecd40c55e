using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.Cli;

/// <summary>Reads HOST[:PORT] and ADDRESS[:PORT] flag values, with messages that say what to fix.</summary>
internal static class EndPointText
{
    /// <summary>Splits HOST[:PORT]; returns what is wrong, or null.</summary>
    public static string? TrySplit(string flag, string text, int defaultPort, out string host, out int port)
    {
        host = text.Trim();
        port = defaultPort;
        if (host.Length == 0)
        {
            return $"{flag} needs a host name or IPv4 address, like example.org or 203.0.113.7:3478.";
        }

        if (host.StartsWith('[') || host.Count(c => c == ':') > 1)
        {
            return $"{flag} {text}: IPv6 addresses are not supported; use an IPv4 address or a host name.";
        }

        int colon = host.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return null;
        }

        string portText = host[(colon + 1)..];
        host = host[..colon];
        if (host.Length == 0)
        {
            return $"{flag} {text}: the host is missing before ':'.";
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
        {
            return $"{flag} {text}: the port must be a number from 1 to 65535 (got '{portText}').";
        }

        return null;
    }

    /// <summary>Resolves HOST[:PORT] to an IPv4 endpoint; returns what is wrong, or null.</summary>
    public static string? TryResolve(string flag, string text, int defaultPort, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (TrySplit(flag, text, defaultPort, out string host, out int port) is { } problem)
        {
            return problem;
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            endPoint = new IPEndPoint(literal, port);
            return null;
        }

        try
        {
            var address = Dns.GetHostAddresses(host, AddressFamily.InterNetwork).FirstOrDefault();
            if (address is null)
            {
                return $"{flag} {text}: {host} has no IPv4 address.";
            }

            endPoint = new IPEndPoint(address, port);
            return null;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return $"{flag} {text}: cannot resolve {host} ({e.Message}); check the name or use an IPv4 address.";
        }
    }

    /// <summary>Reads ADDRESS[:PORT] for --bind: a literal IPv4 address, port 0 (any) by default.</summary>
    public static string? TryParseBind(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (TrySplit("--bind", text, 0, out string host, out int port) is { } problem)
        {
            return problem;
        }

        if (!IPAddress.TryParse(host, out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            return $"--bind {text}: give a local IPv4 address such as 0.0.0.0 or 192.168.1.20, optionally with :PORT.";
        }

        endPoint = new IPEndPoint(address, port);
        return null;
    }
}
