namespace Punch.Core.Streams;

/// <summary>
/// NewReno as RFC 9002 §7 and Appendix B: slow start from 10 datagrams, congestion avoidance of one
/// datagram per window, halving once per recovery period, down to 2 datagrams on persistent congestion.
/// Also paces (§7.7): a token bucket that refills at 1.25 × window / smoothed RTT and holds at most
/// <see cref="BurstDatagrams"/> datagrams, so a full window never leaves in one burst that overflows a
/// socket buffer or a relay's rate limit.
/// </summary>
public sealed class NewRenoCongestion
{
    public const int MaxDatagram = StreamPackets.MaxDatagram;
    public const int InitialWindow = 10 * MaxDatagram;
    public const int MinimumWindow = 2 * MaxDatagram;
    public const int BurstDatagrams = 10;

    private long _avoidanceCredit;
    private TimeSpan? _recoveryStart;
    private double _pacingTokens = BurstDatagrams * MaxDatagram;
    private TimeSpan _lastRefill;

    public long Window { get; private set; } = InitialWindow;
    public long SlowStartThreshold { get; private set; } = long.MaxValue;
    public long BytesInFlight { get; private set; }
    public bool InRecovery(TimeSpan sentAt) => _recoveryStart is { } start && sentAt <= start;

    public bool CanSend(int bytes) => BytesInFlight + bytes <= Window;

    public void OnSent(int bytes, TimeSpan now, RttEstimator rtt)
    {
        BytesInFlight += bytes;
        Refill(now, rtt);
        _pacingTokens -= bytes;
    }

    public void OnAcked(int bytes, TimeSpan sentAt)
    {
        bool windowWasUsed = BytesInFlight >= Window / 2;
        BytesInFlight = Math.Max(0, BytesInFlight - bytes);
        // RFC 9002 §7.8: a window the sender does not fill (flow control or the application holds it
        // back) is not probed, so it does not grow without bound.
        if (InRecovery(sentAt) || !windowWasUsed)
        {
            return;
        }

        if (Window < SlowStartThreshold)
        {
            Window += bytes;
            return;
        }

        _avoidanceCredit += bytes;
        if (_avoidanceCredit >= Window)
        {
            _avoidanceCredit -= Window;
            Window += MaxDatagram;
        }
    }

    /// <summary>Packets were declared lost; <paramref name="largestLostSentAt"/> decides whether this starts a new recovery period.</summary>
    public void OnLost(int bytes, TimeSpan largestLostSentAt, TimeSpan now, bool persistentCongestion)
    {
        BytesInFlight = Math.Max(0, BytesInFlight - bytes);
        if (!InRecovery(largestLostSentAt))
        {
            _recoveryStart = now;
            SlowStartThreshold = Math.Max(Window / 2, MinimumWindow);
            Window = SlowStartThreshold;
            _avoidanceCredit = 0;
        }

        if (persistentCongestion)
        {
            Window = MinimumWindow;
            _recoveryStart = null;
        }
    }

    /// <summary>Bytes that leave the flight without being acknowledged or lost (a probe's packet retired by a later ack of others).</summary>
    public void OnDiscarded(int bytes) => BytesInFlight = Math.Max(0, BytesInFlight - bytes);

    /// <summary>How long until a datagram may leave by the pacer; zero when now.</summary>
    public TimeSpan PacingDelay(TimeSpan now, RttEstimator rtt)
    {
        Refill(now, rtt);
        if (_pacingTokens >= MaxDatagram)
        {
            return TimeSpan.Zero;
        }

        double rate = PacingRate(rtt);
        return TimeSpan.FromSeconds(Math.Max((MaxDatagram - _pacingTokens) / rate, 0.0001));
    }

    private void Refill(TimeSpan now, RttEstimator rtt)
    {
        var elapsed = now - _lastRefill;
        _lastRefill = now;
        if (elapsed > TimeSpan.Zero)
        {
            _pacingTokens = Math.Min(BurstDatagrams * MaxDatagram, _pacingTokens + (elapsed.TotalSeconds * PacingRate(rtt)));
        }
    }

    /// <summary>Bytes per second: 1.25 windows per smoothed round trip.</summary>
    private double PacingRate(RttEstimator rtt) =>
        1.25 * Window / Math.Max(rtt.Smoothed.TotalSeconds, RttEstimator.Granularity.TotalSeconds);
}
