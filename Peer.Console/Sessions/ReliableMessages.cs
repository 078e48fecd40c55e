using Punch.Peer.Hosting;

namespace Punch.Peer.Sessions;

/// <summary>
/// Chat lines over UDP: each has a sequence number, is retransmitted until acknowledged (250 ms
/// doubling to 2 s, 8 tries), and the receiver drops duplicates, so a line shows once even when an
/// acknowledgement was lost.
/// </summary>
internal sealed class ReliableMessages(TimeProvider time)
{
    public const int MaxAttempts = 8;
    private const int RememberedSequences = 4096;
    private static readonly TimeSpan InitialRetransmit = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetransmit = TimeSpan.FromSeconds(2);

    private readonly Dictionary<uint, Outgoing> _unacknowledged = [];
    private readonly HashSet<uint> _received = [];
    private readonly Queue<uint> _receivedOrder = new();
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

    /// <summary>True the first time a sequence arrives. Only the latest few thousand are remembered, which bounds memory.</summary>
    public bool IsNew(uint sequence)
    {
        if (!_received.Add(sequence))
        {
            return false;
        }

        _receivedOrder.Enqueue(sequence);
        if (_receivedOrder.Count > RememberedSequences)
        {
            _received.Remove(_receivedOrder.Dequeue());
        }

        return true;
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
