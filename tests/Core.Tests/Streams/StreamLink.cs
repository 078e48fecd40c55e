using Microsoft.Extensions.Time.Testing;
using Punch.Core.Streams;

namespace Punch.Core.Tests.Streams;

/// <summary>
/// Two connections joined by a simulated path on a fake clock: one-way delay with jitter (which
/// reorders), loss, duplication and an optional tamper hook, all from one seeded Random, so every
/// run of a test sees the same packets.
/// </summary>
internal sealed class StreamLink : IDisposable
{
    private readonly PriorityQueue<(bool ToAcceptor, byte[] Data), (TimeSpan At, long Order)> _inFlight = new();
    private readonly Random _random;
    private readonly byte[] _buffer = new byte[StreamPackets.MaxDatagram];
    private long _order;

    public StreamLink(int seed, StreamConnectionOptions? opener = null, StreamConnectionOptions? acceptor = null, ulong sessionId = 42)
    {
        _random = new Random(seed);
        Opener = new StreamConnection(opener ?? new StreamConnectionOptions(), StreamRole.Opener, sessionId, 0x4001, Time);
        Acceptor = new StreamConnection(acceptor ?? new StreamConnectionOptions(), StreamRole.Acceptor, sessionId, 0x4001, Time);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UnixEpoch);
    public StreamConnection Opener { get; }
    public StreamConnection Acceptor { get; }
    public double Loss { get; set; }
    public double Duplication { get; set; }
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan Jitter { get; set; }

    /// <summary>Sees every datagram before it leaves; may return a changed copy, or null to drop it.</summary>
    public Func<bool, byte[], byte[]?>? Tamper { get; set; }

    public List<StreamEvent> OpenerEvents { get; } = [];
    public List<StreamEvent> AcceptorEvents { get; } = [];
    public long Datagrams { get; private set; }
    private TimeSpan Now => Time.GetUtcNow() - DateTimeOffset.UnixEpoch;

    /// <summary>Runs the link, calling <paramref name="step"/> after every event, until <paramref name="done"/> or <paramref name="limit"/> simulated time passes; true when done.</summary>
    public bool RunUntil(Func<bool> done, TimeSpan limit, Action? step = null)
    {
        var end = Now + limit;
        for (int iteration = 0; iteration < 5_000_000; iteration++)
        {
            step?.Invoke();
            Send(Opener, toAcceptor: true);
            Send(Acceptor, toAcceptor: false);
            Drain(Opener, OpenerEvents);
            Drain(Acceptor, AcceptorEvents);
            if (done())
            {
                return true;
            }

            var next = Earliest(Earliest(Opener.NextTimerDue(), Acceptor.NextTimerDue()),
                _inFlight.TryPeek(out _, out var first) ? first.At - Now : null);
            if (next is not { } wait || Now + wait > end)
            {
                return false;
            }

            if (wait > TimeSpan.Zero)
            {
                Time.Advance(wait);
            }

            while (_inFlight.TryPeek(out var datagram, out var at) && at.At <= Now)
            {
                _inFlight.Dequeue();
                (datagram.ToAcceptor ? Acceptor : Opener).Receive(datagram.Data);
            }

            Opener.OnTimer();
            Acceptor.OnTimer();
        }

        return false;
    }

    public void Dispose()
    {
        Opener.Dispose();
        Acceptor.Dispose();
    }

    private void Send(StreamConnection from, bool toAcceptor)
    {
        for (int i = 0; i < 1000; i++)
        {
            int length = from.TakeDatagram(_buffer);
            if (length == 0)
            {
                return;
            }

            Datagrams++;
            byte[] original = _buffer.AsSpan(0, length).ToArray();
            if ((Tamper is null ? original : Tamper(toAcceptor, original)) is not { } data)
            {
                continue;
            }

            if (_random.NextDouble() < Loss)
            {
                continue;
            }

            int copies = _random.NextDouble() < Duplication ? 2 : 1;
            for (int copy = 0; copy < copies; copy++)
            {
                var delay = Delay + (Jitter * _random.NextDouble());
                _inFlight.Enqueue((toAcceptor, data), (Now + delay, _order++));
            }
        }
    }

    private static void Drain(StreamConnection connection, List<StreamEvent> events)
    {
        while (connection.TryTakeEvent(out var streamEvent))
        {
            events.Add(streamEvent);
        }
    }

    private static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => (a, b) switch
    {
        ({ } x, { } y) => x < y ? x : y,
        ({ } x, null) => x,
        _ => b,
    };
}
