using System.Net;
using System.Text;
using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

/// <summary><c>punch expose</c> without <c>--public-port</c>: streams peers open go to <see cref="Local"/>.</summary>
public sealed record ExposeSettings
{
    /// <summary>The local service (<c>--local HOST:PORT</c>), resolved at start.</summary>
    public required IPEndPoint Local { get; init; }

    /// <summary>Optional pre-shared secret (<c>--secret</c>) mixed into the stream keys; both sides need the same.</summary>
    public string? Secret { get; init; }

    /// <summary>How long a connection to the local service may take before the stream is reset.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public StreamConnectionOptions Streams => ForwardingSettings.StreamOptions(Secret);
}

/// <summary><c>punch forward</c>: connections to <see cref="Listen"/> become streams to the peer's service.</summary>
public sealed record ForwardSettings
{
    /// <summary>Where to accept TCP connections (<c>--listen ADDRESS:PORT</c>).</summary>
    public required IPEndPoint Listen { get; init; }

    public string? Secret { get; init; }

    public StreamConnectionOptions Streams => ForwardingSettings.StreamOptions(Secret);
}

internal static class ForwardingSettings
{
    public static StreamConnectionOptions StreamOptions(string? secret) =>
        new() { Secret = secret is { Length: > 0 } ? Encoding.UTF8.GetBytes(secret) : ReadOnlyMemory<byte>.Empty };
}
