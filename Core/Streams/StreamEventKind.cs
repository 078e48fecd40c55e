namespace Punch.Core.Streams;

public enum StreamEventKind
{
    /// <summary>The peer's first protected packet authenticated: keys agree.</summary>
    Established,
    /// <summary>The peer opened stream <see cref="StreamEvent.StreamId"/>.</summary>
    StreamOpened,
    /// <summary>Data (or the end of the stream) can be read.</summary>
    Readable,
    /// <summary>A write that came back short can go on: buffer space was freed.</summary>
    Writable,
    /// <summary>The peer reset its side of the stream (and usually asked us to stop sending): <see cref="StreamEvent.Code"/>, <see cref="StreamEvent.Reason"/>.</summary>
    Reset,
    /// <summary>The peer asked us to stop sending; our side was reset in answer.</summary>
    Stopped,
    /// <summary>Both directions of the stream are over and its state is gone.</summary>
    StreamClosed,
    /// <summary>The connection ended: <see cref="StreamEvent.Code"/>, <see cref="StreamEvent.Reason"/>.</summary>
    Closed,
}
