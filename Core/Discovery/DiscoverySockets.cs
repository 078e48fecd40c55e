namespace Punch.Core.Discovery;

/// <summary>The local sockets discovery needs; each must be a separate UDP socket, so the NAT gives each its own mapping.</summary>
public static class DiscoverySockets
{
    /// <summary>Mapping tests (RFC 5780 §4.3), then the hairpin target (§4.5).</summary>
    public const int Mapping = 0;
    /// <summary>Filtering tests (§4.4): a socket that contacted nothing but the server's primary endpoint.</summary>
    public const int Filtering = 1;
    /// <summary>Sends the hairpin probe to the mapping socket's public endpoint.</summary>
    public const int HairpinSender = 2;
    /// <summary>Sends the lifetime checks with RESPONSE-PORT pointing at the probed mappings.</summary>
    public const int LifetimeChecker = 3;
    /// <summary>The first lifetime probe socket; probe i is <c>FirstLifetimeProbe + i</c>.</summary>
    public const int FirstLifetimeProbe = 4;

    public static int Count(DiscoveryOptions options) => options.LifetimeProbes.IsEmpty ? 3 : FirstLifetimeProbe + options.LifetimeProbes.Length;
}
