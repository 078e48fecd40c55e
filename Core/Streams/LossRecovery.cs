namespace Punch.Core.Streams;

/// <summary>
/// Loss detection after RFC 9002 §6 for one packet-number space: a packet is lost once a packet sent 3
/// later (kPacketThreshold) is acknowledged, or 9/8 of a round trip (kTimeThreshold) after it was sent
/// while later ones were acknowledged; when nothing is acknowledged for a probe timeout (backing off
/// 2×, 4×, …) up to two probes may leave above the congestion window, retransmitting the oldest data.
/// Packets are kept in an array indexed by packet number (numbers are consecutive), so an ACK costs
/// only the packets it newly covers.
/// </summary>
internal sealed class LossRecovery(TimeSpan maxAckDelay, ILossListener listener)
{
    public const int PacketThreshold = 3;
    public const int MaxProbes = 2;

    private sealed record SentPacket(ulong Number, TimeSpan SentAt, int Size, List<SentFrame> Frames);

    private readonly List<SentPacket?> _sent = [];
    private ulong _firstNumber;
    private ulong? _largestAcked;
    private TimeSpan? _lossTime;
    private TimeSpan _lastAckElicitingSentAt;
    private int _ackElicitingInFlight;

    public RttEstimator Rtt { get; } = new();
    public NewRenoCongestion Congestion { get; } = new();
    public int ProbeCount { get; private set; }
    public int ProbesAllowed { get; set; }

    /// <summary>Set by a probe timeout: the next packet must elicit an ACK.</summary>
    public bool PingNeeded { get; set; }

    public long PacketsLost { get; private set; }
    public bool HasAckElicitingInFlight => _ackElicitingInFlight > 0;

    /// <summary>Records a sent packet; <paramref name="frames"/> empty means it only carried ACK or CLOSE (not tracked, not in flight).</summary>
    public void OnSent(ulong number, TimeSpan now, int size, List<SentFrame> frames)
    {
        if (_sent.Count == 0)
        {
            _firstNumber = number;
        }

        while (_firstNumber + (ulong)_sent.Count < number)
        {
            _sent.Add(null);
        }

        if (frames.Count == 0)
        {
            _sent.Add(null);
            return;
        }

        _sent.Add(new SentPacket(number, now, size, frames));
        _ackElicitingInFlight++;
        _lastAckElicitingSentAt = now;
        Congestion.OnSent(size, now, Rtt);
        if (ProbesAllowed > 0)
        {
            ProbesAllowed--;
        }
    }

    public void OnAck(AckFrame ack, TimeSpan now)
    {
        bool newlyAcked = false;
        SentPacket? largestNewlyAcked = null;
        foreach (var range in ack.Ranges)
        {
            ulong from = Math.Max(range.Start, _firstNumber);
            ulong to = Math.Min(range.End, _firstNumber + (ulong)_sent.Count);
            for (ulong number = from; number < to; number++)
            {
                int index = (int)(number - _firstNumber);
                if (_sent[index] is not { } packet)
                {
                    continue;
                }

                _sent[index] = null;
                _ackElicitingInFlight--;
                newlyAcked = true;
                if (largestNewlyAcked is null || packet.Number > largestNewlyAcked.Number)
                {
                    largestNewlyAcked = packet;
                }

                Congestion.OnAcked(packet.Size, packet.SentAt);
                foreach (var frame in packet.Frames)
                {
                    listener.OnFrameAcked(frame);
                }
            }
        }

        _largestAcked = _largestAcked is { } largest && largest > ack.Largest ? largest : ack.Largest;
        if (largestNewlyAcked is { } sample && sample.Number == ack.Largest)
        {
            Rtt.AddSample(now - sample.SentAt, TimeSpan.FromTicks((long)Math.Min(ack.DelayMicroseconds, 10_000_000UL) * 10), maxAckDelay);
        }

        if (newlyAcked)
        {
            ProbeCount = 0;
        }

        DetectLost(now);
        Trim();
    }

    /// <summary>When <see cref="OnTimer"/> has work: a loss-time deadline, else the probe timeout while ack-eliciting packets are out.</summary>
    public TimeSpan? TimerDue()
    {
        if (_lossTime is { } lossTime)
        {
            return lossTime;
        }

        return _ackElicitingInFlight > 0 ? _lastAckElicitingSentAt + ProbeTimeout() : null;
    }

    public void OnTimer(TimeSpan now)
    {
        if (_lossTime is { } lossTime)
        {
            if (lossTime <= now)
            {
                DetectLost(now);
                Trim();
            }

            return;
        }

        if (_ackElicitingInFlight == 0 || _lastAckElicitingSentAt + ProbeTimeout() > now)
        {
            return;
        }

        ProbeCount++;
        ProbesAllowed = MaxProbes;
        // RFC 9002 §6.2.4: the probe retransmits data still unacknowledged (the oldest packet's is most
        // overdue), and MUST elicit an ACK: its frames may all be obsolete by now (data acknowledged in a
        // copy, a stream gone), so a PING always goes too. Without it the timer would fire again and again
        // with nothing sent, and the packets behind it would never be declared lost.
        var oldest = _sent.First(packet => packet is not null)!;
        foreach (var frame in oldest.Frames)
        {
            listener.OnFrameLost(frame);
        }

        PingNeeded = true;
    }

    /// <summary>
    /// The session moved to another path (relay ↔ direct): the probe timer's backoff belongs to the old
    /// one. A PING goes at once (above the window if need be); its ACK over the new path lets loss
    /// detection declare what died with the old path, instead of waiting out a long backed-off timer.
    /// </summary>
    public void OnPathChanged()
    {
        ProbeCount = 0;
        ProbesAllowed = MaxProbes;
        PingNeeded = true;
    }

    public TimeSpan ProbeTimeout() => Rtt.ProbeTimeout(maxAckDelay) * (1 << Math.Min(ProbeCount, 16));

    private void DetectLost(TimeSpan now)
    {
        _lossTime = null;
        if (_largestAcked is not { } largestAcked || largestAcked < _firstNumber)
        {
            return;
        }

        var latest = Rtt.Latest > Rtt.Smoothed ? Rtt.Latest : Rtt.Smoothed;
        var lossDelay = latest * 9 / 8;
        lossDelay = lossDelay > RttEstimator.Granularity ? lossDelay : RttEstimator.Granularity;
        int lostBytes = 0;
        TimeSpan? earliestLost = null;
        TimeSpan latestLost = default;
        int end = (int)Math.Min(largestAcked - _firstNumber, (ulong)_sent.Count);
        for (int index = 0; index < end; index++)
        {
            if (_sent[index] is not { } packet)
            {
                continue;
            }

            if (packet.SentAt <= now - lossDelay || largestAcked >= packet.Number + PacketThreshold)
            {
                _sent[index] = null;
                _ackElicitingInFlight--;
                PacketsLost++;
                lostBytes += packet.Size;
                earliestLost ??= packet.SentAt;
                latestLost = packet.SentAt;
                foreach (var frame in packet.Frames)
                {
                    listener.OnFrameLost(frame);
                }
            }
            else
            {
                var at = packet.SentAt + lossDelay;
                _lossTime = _lossTime is { } current && current < at ? current : at;
            }
        }

        if (earliestLost is { } earliest)
        {
            // RFC 9002 §7.6: losses spanning three probe timeouts (no backoff) mean the path was gone, not congested.
            bool persistent = Rtt.HasSample && latestLost - earliest > Rtt.ProbeTimeout(maxAckDelay) * 3;
            Congestion.OnLost(lostBytes, latestLost, now, persistent);
        }
    }

    private void Trim()
    {
        int leading = 0;
        while (leading < _sent.Count && _sent[leading] is null)
        {
            leading++;
        }

        // Compacting costs a copy of what is left: do it in batches, or when everything is gone.
        if (leading == _sent.Count || leading >= 256)
        {
            _sent.RemoveRange(0, leading);
            _firstNumber += (ulong)leading;
        }
    }
}
