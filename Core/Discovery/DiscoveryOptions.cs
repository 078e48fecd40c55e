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
