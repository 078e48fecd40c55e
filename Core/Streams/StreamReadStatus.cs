namespace Punch.Core.Streams;

public enum StreamReadStatus
{
    /// <summary>Bytes were read.</summary>
    Data,
    /// <summary>Nothing to read yet; wait for <see cref="StreamEventKind.Readable"/>.</summary>
    Empty,
    /// <summary>Every byte up to the peer's FIN has been read.</summary>
    Finished,
    /// <summary>The peer reset the stream; the reason came with the <see cref="StreamEventKind.Reset"/> event.</summary>
    Reset,
    /// <summary>No such stream (never opened, or over and forgotten), or the connection is closed.</summary>
    Gone,
}
