using System.Net;
using System.Net.Sockets;

namespace Punch.Core.Protocol;

/// <summary>
/// Which interface addresses are worth offering as host candidates. IPv4: every address but loopback
/// (private LAN addresses are how two peers behind one NAT meet). IPv6: global unicast (2000::/3,
/// RFC 4291 §2.4) and unique local (fc00::/7, RFC 4193); never link-local (it needs a zone index the
/// other side cannot know), site-local, multicast, or a v4-mapped form. Loopback of either family only
/// when the server is on loopback (then both peers are on this machine).
/// </summary>
public static class AddressScope
{
    /// <summary>RFC 4193 §3.1: prefix (7 bits), L bit and the 40-bit global ID: one site's /48.</summary>
    private const int UniqueLocalSiteBytes = 6;

    public static bool IsGatherable(IPAddress address, bool includeLoopback)
    {
        if (IPAddress.IsLoopback(address))
        {
            return includeLoopback;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return true;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || address.IsIPv4MappedToIPv6
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        return address.IsIPv6UniqueLocal || IsGlobalUnicast(address);
    }

    /// <summary>
    /// Whether <paramref name="viewer"/> (a peer with these host addresses) could reach host candidate
    /// <paramref name="host"/>: a unique local address only from the same site (/48), a link-local never.
    /// A ULA of another site is unroutable from here, and checks to it would only cost the other side time.
    /// </summary>
    public static bool IsReachableFrom(IPEndPoint host, IEnumerable<IPEndPoint> viewer)
    {
        var address = host.Address;
        if (address.IsIPv6LinkLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        if (!address.IsIPv6UniqueLocal)
        {
            return true;
        }

        Span<byte> site = stackalloc byte[16];
        Span<byte> other = stackalloc byte[16];
        address.TryWriteBytes(site, out _);
        foreach (var candidate in viewer)
        {
            if (candidate.Address.IsIPv6UniqueLocal && candidate.Address.TryWriteBytes(other, out _)
                && other[..UniqueLocalSiteBytes].SequenceEqual(site[..UniqueLocalSiteBytes]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An IPv6 address that is not IPv4 in disguise (mapped), i.e. a path of the IPv6 internet.</summary>
    public static bool IsIPv6(IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 && !endPoint.Address.IsIPv4MappedToIPv6;

    /// <summary>"v4" or "v6": how outputs name an endpoint's family.</summary>
    public static string FamilyName(IPEndPoint endPoint) => IsIPv6(endPoint) ? "v6" : "v4";

    private static bool IsGlobalUnicast(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        return (bytes[0] & 0xE0) == 0x20;
    }
}
