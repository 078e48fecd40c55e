namespace Punch.Core.Streams;

/// <summary>Round-trip time estimation as RFC 9002 §5: min, smoothed and variation, the peer's ack delay taken off when plausible.</summary>
public sealed class RttEstimator
{
    /// <summary>RFC 9002 §6.2.2: before any sample.</summary>
    public static readonly TimeSpan InitialRtt = TimeSpan.FromMilliseconds(333);

    /// <summary>RFC 9002 §6.1.2 kGranularity: no timer is shorter.</summary>
    public static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(1);

    public TimeSpan Latest { get; private set; }
    public TimeSpan Min { get; private set; } = TimeSpan.MaxValue;
    public TimeSpan Smoothed { get; private set; } = InitialRtt;
    public TimeSpan Variation { get; private set; } = InitialRtt / 2;
    public bool HasSample { get; private set; }

    public void AddSample(TimeSpan latest, TimeSpan ackDelay, TimeSpan maxAckDelay)
    {
        Latest = latest < TimeSpan.Zero ? TimeSpan.Zero : latest;
        Min = Latest < Min ? Latest : Min;
        if (!HasSample)
        {
            HasSample = true;
            Smoothed = Latest;
            Variation = Latest / 2;
            return;
        }

        ackDelay = ackDelay < maxAckDelay ? ackDelay : maxAckDelay;
        var adjusted = Latest >= Min + ackDelay ? Latest - ackDelay : Latest;
        Variation = (Variation * 3 / 4) + ((Smoothed - adjusted).Duration() / 4);
        Smoothed = (Smoothed * 7 / 8) + (adjusted / 8);
    }

    /// <summary>RFC 9002 §6.2.1: the probe timeout before backoff.</summary>
    public TimeSpan ProbeTimeout(TimeSpan maxAckDelay)
    {
        var variation = Variation * 4;
        return Smoothed + (variation > Granularity ? variation : Granularity) + maxAckDelay;
    }
}
