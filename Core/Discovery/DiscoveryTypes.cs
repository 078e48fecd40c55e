using System.Collections.Immutable;
using System.Net;

namespace Punch.Core.Discovery;

/// <summary>Where to send what, and how long to keep trying.</summary>
public sealed record DiscoveryOptions
{
    /// <summary>The server's primary address and port (test I of RFC 5780 §4.3 and §4.4).</summary>
    public required IPEndPoint Server { get; init; }

    /// <summary>First retransmission; doubles per send up to <see cref="MaxRetransmit"/> (RFC 8489 §6.2.1 with a shorter RTO, the server is one hop of intent away).</summary>
    public TimeSpan InitialRetransmit { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetransmit { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Sends per request before it counts as unanswered (a filtering test's silence is its answer, so this bounds each test).</summary>
    public int Attempts { get; init; } = 5;

    /// <summary>Everything not settled by then is reported unknown, whatever is still in flight.</summary>
    public TimeSpan OverallLimit { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// When non-empty, probes the mapping lifetime (RFC 5780 §4.6): one fresh mapping per interval, each checked once
    /// after its interval, all in parallel, so the whole probe takes the longest interval.
    /// </summary>
    public ImmutableArray<TimeSpan> LifetimeProbes { get; init; } = [];

    /// <summary>Doubling intervals from 2 s up to <paramref name="max"/> (bounded: at most 12 probes).</summary>
    public static ImmutableArray<TimeSpan> DoublingProbes(TimeSpan max)
    {
        var probes = ImmutableArray.CreateBuilder<TimeSpan>();
        for (var interval = TimeSpan.FromSeconds(2); interval < max && probes.Count < 11; interval *= 2)
        {
            probes.Add(interval);
        }

        probes.Add(max);
        return probes.ToImmutable();
    }
}

/// <summary>One datagram the driver must send from local socket <paramref name="Socket"/> (numbered as <see cref="DiscoverySockets"/> says).</summary>
public readonly record struct DiscoverySend(int Socket, IPEndPoint To, byte[] Datagram);

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

/// <summary>The mapping lifetime as bounded by the probes: alive after <see cref="AtLeast"/>, gone by <see cref="Below"/> (null: alive at the longest probe).</summary>
public readonly record struct LifetimeBounds(TimeSpan AtLeast, TimeSpan? Below);

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
