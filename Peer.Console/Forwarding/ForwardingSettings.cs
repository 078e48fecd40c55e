using System.Text;
using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

internal static class ForwardingSettings
{
    public static StreamConnectionOptions StreamOptions(string? secret) =>
        new() { Secret = secret is { Length: > 0 } ? Encoding.UTF8.GetBytes(secret) : ReadOnlyMemory<byte>.Empty };
}
