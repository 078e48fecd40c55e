using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.Cli;

/// <summary>Reads HOST[:PORT] and ADDRESS[:PORT] flag values, with messages that say what to fix.</summary>
internal static class EndPointText
{
    /// <summary>Splits HOST[:PORT], where HOST may be an IPv6 literal in brackets ([2001:db8::1]:3478, RFC 3986 §3.2.2) or bare without a port; returns what is wrong, or null.</summary>
    public static string? TrySplit(string flag, string text, int defaultPort, out string host, out int port)
    {
        host = text.Trim();
        port = defaultPort;
        if (host.Length == 0)
        {
            return $"{flag} needs a host name or IP address, like example.org, 203.0.113.7:3478 or [2001:db8::7]:3478.";
        }

        string? portText = null;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < host.Length && host[close + 1] != ':'))
            {
                return $"{flag} {text}: write an IPv6 address with a port as [ADDRESS]:PORT, like [2001:db8::7]:3478.";
            }

            portText = close + 1 < host.Length ? host[(close + 2)..] : null;
            host = host[1..close];
            if (!IPAddress.TryParse(host, out var literal) || literal.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return $"{flag} {text}: '{host}' in brackets must be an IPv6 address.";
            }
        }
        else if (host.Count(c => c == ':') > 1)
        {
            // A bare IPv6 literal: every colon belongs to the address, so there is no port.
            return IPAddress.TryParse(host, out _) ? null : $"{flag} {text}: not an IPv6 address; put a port after it as [ADDRESS]:PORT.";
        }
        else if (host.IndexOf(':', StringComparison.Ordinal) is int colon and >= 0)
        {
            portText = host[(colon + 1)..];
            host = host[..colon];
        }

        if (host.Length == 0)
        {
            return $"{flag} {text}: the host is missing before ':'.";
        }

        if (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            return $"{flag} {text}: the port must be a number from 1 to 65535 (got '{portText}').";
        }

        return null;
    }

    /// <summary>Resolves HOST[:PORT] to an IPv4 or IPv6 endpoint; returns what is wrong, or null.</summary>
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
            // IPv4 first where a name has both: every server has it, and the peer learns IPv6 paths from host candidates anyway.
            var addresses = Dns.GetHostAddresses(host);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetworkV6);
            if (address is null)
            {
                return $"{flag} {text}: {host} has no IPv4 or IPv6 address.";
            }

            endPoint = new IPEndPoint(address, port);
            return null;
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            return $"{flag} {text}: cannot resolve {host} ({e.Message}); check the name or use an IP address.";
        }
    }

    /// <summary>Reads ADDRESS[:PORT] for --bind: a literal IPv4 or IPv6 address, port 0 (any) by default.</summary>
    public static string? TryParseBind(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (TrySplit("--bind", text, 0, out string host, out int port) is { } problem)
        {
            return problem;
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            return $"--bind {text}: give a local IP address such as 0.0.0.0, 192.168.1.20 or [2001:db8::20], optionally with :PORT.";
        }

        endPoint = new IPEndPoint(address, port);
        return null;
    }
}
