using System.Net;
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
