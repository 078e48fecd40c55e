namespace Punch.Core.Streams;

public enum StreamConnectionState
{
    /// <summary>Hellos go out; no stream data yet (streams may be opened and written: the data waits).</summary>
    Handshaking,
    Established,
    Closed,
}
