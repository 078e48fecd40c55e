namespace Punch.Core.Streams;

/// <summary>
/// The packet numbers we received and when to acknowledge them. The ranges are both what ACK frames
/// report and the replay window: a number inside them, or below the oldest kept range, was seen.
/// Ack decimation (as draft-ietf-quic-ack-frequency and Chromium's QUIC): one ACK per
/// <see cref="AckEveryPackets"/> ack-eliciting packets rather than RFC 9000's 2, since every packet,
/// ACKs included, costs an AEAD operation; a gap gets an ACK at once, a lone packet within a quarter
/// round trip (at most max_ack_delay, which the peer's probe timeout allows for).
/// </summary>
internal sealed class AckTracker(TimeSpan maxAckDelay)
{
    public const int AckEveryPackets = 10;

    private readonly RangeSet _received = new();
    private ulong _floor;
    private bool _now;
    private int _unacknowledged;
    private TimeSpan _deadline;
    private TimeSpan _largestReceivedAt;

    /// <summary>An ACK is owed (it goes out with the next packet, or alone once due).</summary>
    public bool Pending { get; private set; }

    public bool WasReceived(ulong number) => number < _floor || _received.Contains(number);

    /// <summary>Records an authenticated packet; <paramref name="elicits"/> when it carried anything but ACK or CLOSE.</summary>
    public void OnReceived(ulong number, bool elicits, TimeSpan now, RttEstimator rtt)
    {
        bool inOrder = _received.IsEmpty || number >= _received.Last.End;
        bool gap = !_received.IsEmpty && number > _received.Last.End;
        if (inOrder)
        {
            _largestReceivedAt = now;
        }

        _received.Add(number, number + 1);
        while (_received.Count > AckFrame.MaxRanges)
        {
            _floor = _received.Ranges[1].Start;
            _received.RemoveBelow(_floor);
        }

        if (!elicits)
        {
            return;
        }

        Pending = true;
        _unacknowledged++;
        // Out of order, or after a gap: the sender learns of a loss (or of a reordering) at once.
        if (_unacknowledged >= AckEveryPackets || !inOrder || gap)
        {
            _now = true;
        }
        else if (_unacknowledged == 1)
        {
            _deadline = now + Delay(rtt);
        }
    }

    public bool IsDue(TimeSpan now) => Pending && (_now || _deadline <= now);

    /// <summary>When the owed ACK must leave, or null when none is owed.</summary>
    public TimeSpan? DueAt(TimeSpan now) => Pending ? (_now ? now : _deadline) : null;

    /// <summary>The ACK frame for what was received; nothing is owed after it.</summary>
    public AckFrame Take(TimeSpan now)
    {
        var ranges = new ValueRange[_received.Count];
        for (int i = 0; i < ranges.Length; i++)
        {
            ranges[i] = _received.Ranges[_received.Count - 1 - i];
        }

        Pending = _now = false;
        _unacknowledged = 0;
        return new AckFrame((ulong)((now - _largestReceivedAt).Ticks / 10), ranges);
    }

    private TimeSpan Delay(RttEstimator rtt)
    {
        if (!rtt.HasSample)
        {
            return maxAckDelay;
        }

        var quarter = rtt.Smoothed / 4;
        quarter = quarter > RttEstimator.Granularity ? quarter : RttEstimator.Granularity;
        return quarter < maxAckDelay ? quarter : maxAckDelay;
    }
}
