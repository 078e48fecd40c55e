using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

/// <summary>The peer reset the stream, or the connection under it ended; <see cref="Exception.Message"/> says why.</summary>
internal sealed class TunnelBrokenException(string message, StreamErrorCode code) : Exception(message)
{
    public StreamErrorCode Code { get; } = code;
}
