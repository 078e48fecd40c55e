using System.Net;
using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

/// <summary><c>punch forward</c>: connections to <see cref="Listen"/> become streams to the peer's service.</summary>
public sealed record ForwardSettings
{
    /// <summary>Where to accept TCP connections (<c>--listen ADDRESS:PORT</c>).</summary>
    public required IPEndPoint Listen { get; init; }

    public string? Secret { get; init; }

    public StreamConnectionOptions Streams => ForwardingSettings.StreamOptions(Secret);
}
