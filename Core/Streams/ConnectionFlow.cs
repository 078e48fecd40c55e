namespace Punch.Core.Streams;

/// <summary>
/// Connection-wide flow control (RFC 9000 §4.1) in both directions: how much new data the peer's
/// MAX_DATA still lets us send, and the credit we grant it: the sum of every stream's highest offset
/// must stay within it, and it grows by the window once half of it has been read (or abandoned).
/// </summary>
internal sealed class ConnectionFlow(ulong window)
{
    private ulong _peerLimit = StreamConnectionOptions.InitialConnectionWindow;
    private ulong _sent;
    private ulong _received;
    private ulong _consumed;

    /// <summary>The credit we last granted the peer.</summary>
    public ulong Limit { get; private set; } = StreamConnectionOptions.InitialConnectionWindow;

    /// <summary>A MAX_DATA with <see cref="Limit"/> is owed to the peer.</summary>
    public bool CreditPending { get; set; }

    /// <summary>New bytes we may still send.</summary>
    public ulong Credit => _peerLimit > _sent ? _peerLimit - _sent : 0;

    public void OnSent(int newBytes) => _sent += (ulong)newBytes;

    public void OnPeerLimit(ulong limit) => _peerLimit = Math.Max(_peerLimit, limit);

    /// <summary>A stream's highest offset moved by <paramref name="growth"/>; false when that passes our credit (FLOW_CONTROL).</summary>
    public bool OnReceived(ulong growth)
    {
        _received += growth;
        return _received <= Limit;
    }

    /// <summary>Bytes the application read (or will never read): the peer may send that much more.</summary>
    public void Consume(ulong bytes)
    {
        _consumed += bytes;
        if (Limit - _consumed < window / 2)
        {
            Limit = _consumed + window;
            CreditPending = true;
        }
    }
}
