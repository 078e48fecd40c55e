namespace Punch.Core.Streams;

/// <summary>Why a stream or the connection ended. Transport codes follow RFC 9000 §20.1; 0x100 and up are Punch's.</summary>
public enum StreamErrorCode : ulong
{
    NoError = 0x0,
    InternalError = 0x1,
    FlowControl = 0x3,
    StreamLimit = 0x4,
    StreamState = 0x5,
    FinalSize = 0x6,
    FrameEncoding = 0x7,
    ProtocolViolation = 0xa,
    /// <summary>The handshake failed: no key agreement, or the peer's packets do not authenticate.</summary>
    Handshake = 0x100,
    /// <summary>No packet from the peer for the idle timeout.</summary>
    IdleTimeout = 0x101,
    /// <summary>The local service refused the connection the stream stands for.</summary>
    Refused = 0x200,
    /// <summary>The application's side of the stream broke (a TCP reset, an error).</summary>
    Aborted = 0x201,
    /// <summary>The application is shutting down.</summary>
    Cancelled = 0x202,
}
