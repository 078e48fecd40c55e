namespace Punch.Core.Streams;

/// <summary>Frame type bytes inside a protected packet (values follow QUIC's where the meaning is the same, RFC 9000 §19).</summary>
public enum StreamFrameType : byte
{
    Ping = 0x01,
    Ack = 0x02,
    ResetStream = 0x04,
    StopSending = 0x05,
    /// <summary>0x08 without FIN, 0x09 with FIN.</summary>
    Stream = 0x08,
    StreamFin = 0x09,
    MaxData = 0x10,
    MaxStreamData = 0x11,
    MaxStreams = 0x12,
    Close = 0x1c,
}
