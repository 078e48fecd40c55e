using Punch.Peer.Hosting;

namespace Punch.Peer.Sessions;

/// <summary>
/// The sending half of chat lines over UDP: each has a sequence number and is retransmitted until
/// acknowledged (250 ms doubling to 2 s, 8 tries). The receiver (<see cref="InOrderDelivery"/>)
/// drops duplicates and restores the order, so a line shows once and in order even when an
/// acknowledgement was lost or the path changed under it.
/// </summary>
internal sealed class ReliableMessages(TimeProvider time)
{
    public const int MaxAttempts = 8;
    private static readonly TimeSpan InitialRetransmit = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetransmit = TimeSpan.FromSeconds(2);

    private readonly Dictionary<uint, Outgoing> _unacknowledged = [];
    private uint _lastSequence;

    public int UnacknowledgedCount => _unacknowledged.Count;

    /// <summary>Registers a new line; returns its sequence number (send it now).</summary>
    public uint Add(string text)
    {
        uint sequence = ++_lastSequence;
        _unacknowledged[sequence] = new Outgoing(text, time.After(InitialRetransmit), InitialRetransmit);
        return sequence;
    }

    public void OnAcknowledged(uint sequence) => _unacknowledged.Remove(sequence);

    /// <summary>
    /// The path changed: whatever is unacknowledged may have died with the old path, so every line
    /// goes again now, with a fresh budget of tries (the old path may have used it up while it was
    /// silently dying, before its loss was noticed).
    /// </summary>
    public void RestartRetransmits()
    {
        foreach (var outgoing in _unacknowledged.Values)
        {
            outgoing.Attempts = 0;
            outgoing.NextSend = time.GetTimestamp();
            // TakeDue doubles it first: the next try after this one comes InitialRetransmit later.
            outgoing.Interval = InitialRetransmit / 2;
        }
    }

    /// <summary>Lines to send again now, and lines given up on after <see cref="MaxAttempts"/>.</summary>
    public (List<(uint Sequence, string Text)> Resend, List<uint> GivenUp) TakeDue()
    {
        var resend = new List<(uint, string)>();
        var givenUp = new List<uint>();
        foreach (var (sequence, outgoing) in _unacknowledged)
        {
            if (!time.HasPassed(outgoing.NextSend))
            {
                continue;
            }

            if (outgoing.Attempts >= MaxAttempts)
            {
                givenUp.Add(sequence);
                continue;
            }

            outgoing.Attempts++;
            outgoing.Interval = TimeSpan.FromTicks(Math.Min(outgoing.Interval.Ticks * 2, MaxRetransmit.Ticks));
            outgoing.NextSend = time.After(outgoing.Interval);
            resend.Add((sequence, outgoing.Text));
        }

        foreach (uint sequence in givenUp)
        {
            _unacknowledged.Remove(sequence);
        }

        return (resend, givenUp);
    }

    public TimeSpan? NextDue() => _unacknowledged.Count == 0 ? null : time.Until(_unacknowledged.Values.Min(o => o.NextSend));

    private sealed class Outgoing(string text, long nextSend, TimeSpan interval)
    {
        public string Text { get; } = text;
        public long NextSend { get; set; } = nextSend;
        public TimeSpan Interval { get; set; } = interval;
        public int Attempts { get; set; } = 1;
    }
}
