using System.Collections.Immutable;
using System.Net;

namespace Punch.Core.Discovery;

/// <summary>What discovery found; any part it could not settle is Unknown or null, with <see cref="Notes"/> saying why.</summary>
public sealed record DiscoveryResult
{
    public IPEndPoint? PublicEndPoint { get; init; }
    public IPEndPoint? LocalEndPoint { get; init; }
    /// <summary>False when the public endpoint is the local one (no NAT between us and the server).</summary>
    public bool? BehindNat { get; init; }
    public NatBehaviour Mapping { get; init; }
    public NatBehaviour Filtering { get; init; }
    public bool? Hairpinning { get; init; }
    public bool? PortPreserved { get; init; }
    public LifetimeBounds? Lifetime { get; init; }
    /// <summary>The server's OTHER-ADDRESS; null when it has no second address or port (no RFC 5780).</summary>
    public IPEndPoint? OtherAddress { get; init; }
    public ImmutableList<string> Notes { get; init; } = [];
}
