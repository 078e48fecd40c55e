namespace Punch.Core.Streams;

/// <summary>
/// Our sending side of one stream (RFC 9000 §3.1: Ready/Send → Data Sent → Data Recvd, or Reset Sent →
/// Reset Recvd): bytes the application wrote and the peer has not acknowledged, what must be sent
/// again, the peer's credit for this stream, and the FIN or reset.
/// </summary>
internal sealed class SendHalf(int bufferSize, ulong peerLimit)
{
    private readonly ByteRing _ring = new(bufferSize);
    private readonly RangeSet _acked = new();
    private readonly RangeSet _lost = new();

    /// <summary>Bytes the application has written in all (the stream's size so far).</summary>
    public ulong Written { get; private set; }

    /// <summary>The first offset never sent.</summary>
    public ulong NextNew { get; private set; }

    public ulong PeerLimit { get; private set; } = peerLimit;
    public bool Finished { get; private set; }
    public bool FinSent { get; set; }
    public bool FinAcked { get; private set; }
    public bool ResetPending { get; set; }
    public bool ResetAcked { get; private set; }
    public ResetStreamFrame? Reset { get; private set; }

    /// <summary>A write came back short: the application waits for a Writable event.</summary>
    public bool WriteBlocked { get; set; }

    /// <summary>RFC 9000 §3.1 Data Recvd: the FIN and every byte before it acknowledged (a FIN can be acknowledged before lost data resent earlier), or the reset acknowledged.</summary>
    public bool IsDone => (FinAcked && _ring.Base == Written) || ResetAcked;
    public bool IsClosedForWriting => Finished || Reset is not null;
    public int Free => _ring.MaxCapacity - (int)(Written - _ring.Base);

    public bool HasLost => !_lost.IsEmpty;

    /// <summary>Bytes that could go out for the first time as far as this stream's credit goes.</summary>
    public ulong NewBytesAllowed => Math.Min(Written, PeerLimit) > NextNew ? Math.Min(Written, PeerLimit) - NextNew : 0;

    /// <summary>Only the FIN is left to send (no data before it waits).</summary>
    public bool WantsLoneFin => Finished && !FinSent && NextNew == Written && _lost.IsEmpty && Reset is null;

    /// <summary>
    /// The peer has heard of the stream (for streams it opened, always). A stream we open is announced
    /// at once by an empty STREAM frame, so the acceptor connects to its service before any data flows:
    /// protocols where the server speaks first (SSH, SMTP) need that.
    /// </summary>
    public bool Announced { get; set; } = true;

    public bool HasSomethingToSend(bool connectionCredit) =>
        Reset is null ? HasLost || (connectionCredit && NewBytesAllowed > 0) || WantsLoneFin || !Announced : ResetPending;

    public int Write(ReadOnlySpan<byte> data)
    {
        int accepted = Math.Min(data.Length, Free);
        _ring.Write(Written, data[..accepted]);
        Written += (ulong)accepted;
        WriteBlocked = accepted < data.Length;
        return accepted;
    }

    public void Finish() => Finished = true;

    public void StartReset(StreamErrorCode code, string reason)
    {
        Reset = new ResetStreamFrame(0, code, NextNew, reason);
        ResetPending = true;
        _lost.Clear();
    }

    public void RaiseLimit(ulong limit) => PeerLimit = Math.Max(PeerLimit, limit);

    /// <summary>Takes the next range to retransmit, up to <paramref name="maxLength"/> bytes; copy its bytes with <see cref="CopyTo"/>.</summary>
    public (ulong Offset, int Length, bool Fin) TakeLost(int maxLength)
    {
        var range = _lost.TakeFirst((ulong)maxLength);
        return (range.Start, (int)range.Length, Finished && range.End == Written && !FinAcked);
    }

    /// <summary>Takes up to <paramref name="maxLength"/> bytes never sent.</summary>
    public (ulong Offset, int Length, bool Fin) TakeNew(int maxLength)
    {
        ulong offset = NextNew;
        int length = (int)Math.Min((ulong)maxLength, NewBytesAllowed);
        NextNew += (ulong)length;
        return (offset, length, Finished && NextNew == Written);
    }

    /// <summary>Copies buffered bytes (not yet acknowledged) into a packet.</summary>
    public void CopyTo(ulong offset, Span<byte> destination) => _ring.Read(offset, destination);

    public void OnAcked(ulong offset, int length, bool fin)
    {
        _acked.Add(offset, offset + (ulong)length);
        _lost.Remove(offset, offset + (ulong)length);
        FinAcked |= fin;
        if (!_acked.IsEmpty && _acked.First.Start <= _ring.Base)
        {
            _ring.Release(_acked.First.End);
            _acked.RemoveBelow(_ring.Base);
        }
    }

    public void OnLost(ulong offset, int length, bool fin)
    {
        if (Reset is not null)
        {
            return;
        }

        if (length == 0 && !fin && NextNew == 0)
        {
            Announced = false; // The announcement was lost and no data has named the stream since.
        }

        ulong start = Math.Max(offset, _ring.Base);
        ulong end = offset + (ulong)length;
        if (start < end)
        {
            _lost.Add(start, end);
            foreach (var acked in _acked.Ranges)
            {
                _lost.Remove(acked.Start, acked.End);
            }
        }

        if (fin && !FinAcked)
        {
            FinSent = false;
        }
    }

    public void OnResetAcked() => ResetAcked = true;
}
