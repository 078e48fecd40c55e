namespace Punch.Core.Streams;

/// <summary>What a sent packet carried that matters when it is acknowledged or lost (ACK and CLOSE frames are never retransmitted).</summary>
internal enum SentFrameKind : byte
{
    Stream,
    MaxData,
    MaxStreamData,
    MaxStreams,
    ResetStream,
    StopSending,
    Ping,
}
