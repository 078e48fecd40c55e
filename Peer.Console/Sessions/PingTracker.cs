using Punch.Peer.Hosting;
using Punch.Peer.Output;

namespace Punch.Peer.Sessions;

/// <summary>
/// The pings of a <c>--count</c> run: one every interval, RTTs measured against our own send time
/// (the echoed timestamp is not trusted), done when every ping was answered or the last one had
/// <see cref="AnswerTimeout"/> to come back.
/// </summary>
internal sealed class PingTracker(TimeProvider time, int count, TimeSpan interval)
{
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(2);

    private readonly Dictionary<uint, long> _outstanding = [];
    private readonly List<TimeSpan> _roundTrips = [];
    private long _nextSend = time.GetTimestamp();
    private long _lastSent;
    private uint _sent;

    public bool IsDone => _sent == count && (_outstanding.Count == 0 || time.HasPassed(time.After(AnswerTimeout, _lastSent)));

    /// <summary>The sequence number of the ping to send now, if one is due.</summary>
    public uint? TakeDuePing()
    {
        if (_sent == count || !time.HasPassed(_nextSend))
        {
            return null;
        }

        _sent++;
        _lastSent = time.GetTimestamp();
        _outstanding[_sent] = _lastSent;
        _nextSend = time.After(interval, _nextSend);
        return _sent;
    }

    /// <summary>The round trip of an outstanding ping, or null for a duplicate or unknown sequence.</summary>
    public TimeSpan? OnPong(uint sequence)
    {
        if (!_outstanding.Remove(sequence, out long sentAt))
        {
            return null;
        }

        var roundTrip = time.GetElapsedTime(sentAt);
        _roundTrips.Add(roundTrip);
        return roundTrip;
    }

    public TimeSpan? NextDue()
    {
        if (_sent < count)
        {
            return time.Until(_nextSend);
        }

        return _outstanding.Count == 0 ? null : time.Until(time.After(AnswerTimeout, _lastSent));
    }

    public PingSummary Summary() => _roundTrips.Count == 0
        ? new PingSummary((int)_sent, 0, null, null, null)
        : new PingSummary((int)_sent, _roundTrips.Count, _roundTrips.Min(), TimeSpan.FromTicks((long)_roundTrips.Average(r => r.Ticks)), _roundTrips.Max());
}
