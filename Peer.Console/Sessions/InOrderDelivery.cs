using Punch.Peer.Hosting;

namespace Punch.Peer.Sessions;

/// <summary>
/// The receiving half of <see cref="ReliableMessages"/>: delivers each line once and in the sender's
/// order, even while frames arrive over two paths at once (the relay and the direct path during a
/// switch, where a later line can overtake an earlier one). Lines ahead of the next expected one are
/// held, up to <see cref="MaxHeld"/>; one further ahead is not acknowledged, so the sender retransmits
/// it once the gap has closed. A gap the sender gave up on (it warns after
/// <see cref="ReliableMessages.MaxAttempts"/> tries) would block the line forever, so after
/// <see cref="GapTimeout"/> the held lines are delivered past it.
/// </summary>
internal sealed class InOrderDelivery(TimeProvider time)
{
    public const int MaxHeld = 256;

    /// <summary>Longer than the sender's whole retransmission schedule (about 12 s), so a gap is skipped only once nothing can fill it any more.</summary>
    public static readonly TimeSpan GapTimeout = TimeSpan.FromSeconds(20);

    private readonly SortedDictionary<uint, string> _held = [];
    private uint _nextExpected = 1;
    private long? _gapSince;

    /// <summary>Lines skipped because they never arrived (the sender gave up on them).</summary>
    public long Skipped { get; private set; }

    public Arrival OnMessage(uint sequence, string text)
    {
        if (sequence < _nextExpected || _held.ContainsKey(sequence))
        {
            return new Arrival(true, []); // A duplicate: the earlier acknowledgement was lost, or it came over both paths.
        }

        if (sequence - _nextExpected >= MaxHeld)
        {
            return new Arrival(false, []);
        }

        _held[sequence] = text;
        _gapSince ??= time.GetTimestamp();
        return new Arrival(true, TakeConsecutive());
    }

    /// <summary>Skips a gap that has waited longer than <see cref="GapTimeout"/>; returns the lines that unblocks.</summary>
    public IReadOnlyList<string> OnTimer()
    {
        if (_gapSince is not { } since || !time.HasPassed(time.After(GapTimeout, since)))
        {
            return [];
        }

        uint first = _held.Keys.First();
        Skipped += first - _nextExpected;
        _nextExpected = first;
        return TakeConsecutive();
    }

    public TimeSpan? NextDue() => _gapSince is { } since ? time.Until(time.After(GapTimeout, since)) : null;

    private List<string> TakeConsecutive()
    {
        var ready = new List<string>();
        while (_held.Remove(_nextExpected, out string? text))
        {
            ready.Add(text);
            _nextExpected++;
        }

        // The gap clock restarts for whatever is still held: it waits for a newer gap now.
        _gapSince = _held.Count == 0 ? null : ready.Count > 0 ? time.GetTimestamp() : _gapSince;
        return ready;
    }
}
