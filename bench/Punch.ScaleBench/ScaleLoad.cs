using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.ScaleBench;

/// <summary>
/// Many peers of the rendezvous protocol on few sockets: peer i lives on socket i % sockets (each socket on
/// its own loopback address 127.10.x.y, so the server's per-address caps see PEERS/SOCKETS peers per address),
/// in network "bench-(i % 100)". Every message is the real one: Register answered by an address challenge,
/// again with the cookie (the cookie proves the socket's address, so one challenge serves all of its peers),
/// Refresh every lifetime/3 as the peer does, Connect between two registered peers with the introductions
/// acknowledged. One pacing thread sends; the sockets' receive loops match answers by transaction id.
/// </summary>
public sealed class ScaleLoad : IDisposable
{
    private const int Networks = 100;
    private const ulong KindRegister = 1, KindRefresh = 2, KindConnect = 3;
    private static readonly TimeSpan SlotLength = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    // Scratch for one send at a time per thread (t_ marks [ThreadStatic]; naming rules cannot select by attribute).
#pragma warning disable IDE1006
    [ThreadStatic]
    private static byte[]? t_buffer;
#pragma warning restore IDE1006

    private readonly int _peers;
    private readonly Socket[] _sockets;
    private readonly AddressCookie?[] _cookies;
    private readonly PeerIdentity[] _identities;
    private readonly long[] _registerSentAt, _refreshSentAt, _connectSentAt;
    private readonly int[] _registered;
    // A timer wheel one refresh interval round: a peer sits in the slot of its registration and is refreshed each time the wheel passes it.
    private readonly List<int>[] _wheel;
    private readonly TimeSpan _refreshInterval;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _receivers = [];
    private readonly ConcurrentQueue<int> _connectsInFlight = new();
    private uint _sequence;
    private int _connectsOutstanding;
    private long _registeredCount, _challenges, _registerRetries, _refreshLost, _refreshErrors, _otherErrors;
    private long _connectsSent, _introductions, _connectsLost, _connectErrors;
    private volatile bool _measureSteadyRefresh;

    public ScaleLoad(IPEndPoint server, int peers, int sockets, TimeSpan refreshInterval)
    {
        _peers = peers;
        _refreshInterval = refreshInterval;
        _sockets = new Socket[sockets];
        _cookies = new AddressCookie?[sockets];
        _identities = new PeerIdentity[peers];
        _registerSentAt = new long[peers];
        _refreshSentAt = new long[peers];
        _connectSentAt = new long[peers];
        _registered = new int[peers];
        _wheel = new List<int>[(int)Math.Ceiling(refreshInterval / SlotLength)];
        for (int i = 0; i < _wheel.Length; i++)
        {
            _wheel[i] = [];
        }

        for (int i = 0; i < peers; i++)
        {
            _identities[i] = new PeerIdentity($"bench-{i % Networks}", $"p{i}");
        }

        for (int s = 0; s < sockets; s++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20, SendBufferSize = 1 << 20 };
            socket.Bind(new IPEndPoint(new IPAddress([127, 10, (byte)(s / 250), (byte)(s % 250 + 1)]), 0));
            socket.Connect(server);
            _sockets[s] = socket;
        }
    }

    public LatencyHistogram Registration { get; } = new();
    /// <summary>Registrations sent once at least 80 % of the peers were registered and refreshing.</summary>
    public LatencyHistogram RegistrationUnderLoad { get; } = new();
    public LatencyHistogram SteadyRefresh { get; } = new();
    public LatencyHistogram Introduction { get; } = new();
    public long RegisteredCount => Interlocked.Read(ref _registeredCount);

    public void Start()
    {
        for (int s = 0; s < _sockets.Length; s++)
        {
            _receivers.Add(ReceiveLoopAsync(s, _stop.Token));
        }
    }

    /// <summary>Registers every peer at <paramref name="perSecond"/> while the registered ones refresh; false when <paramref name="limit"/> ran out first.</summary>
    public bool RegisterAll(double perSecond, TimeSpan limit)
    {
        var started = Stopwatch.GetTimestamp();
        int sent = 0;
        var lastReport = started;
        while (RegisteredCount < _peers)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (elapsed > limit)
            {
                return false;
            }

            int due = (int)Math.Min(_peers, elapsed.TotalSeconds * perSecond + 1);
            for (; sent < due; sent++)
            {
                // Into the slot the wheel has just passed: its first refresh comes one whole interval later.
                _wheel[_lastSlot < 0 ? SlotNow() : _lastSlot].Add(sent);
                SendRegister(sent);
            }

            Tick();
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(5))
            {
                lastReport = Stopwatch.GetTimestamp();
                Console.Error.WriteLine($"registered {RegisteredCount} of {_peers} ({Describe()})");
            }
        }

        return true;
    }

    /// <summary>Only refreshes, for <paramref name="length"/>: the steady state of PEERS registered peers.</summary>
    public void Hold(TimeSpan length, bool measureRefresh)
    {
        _measureSteadyRefresh = measureRefresh;
        var until = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Tick();
        }

        _measureSteadyRefresh = false;
    }

    /// <summary>Connect requests between registered pairs, <paramref name="window"/> waiting for their introduction at once, for <paramref name="length"/>; returns the seconds measured.</summary>
    public double Connect(TimeSpan length, int window)
    {
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(length.TotalSeconds * Stopwatch.Frequency);
        // Requesters are the peers with i % 200 < 100; each asks for i + 100: same network, another socket.
        int next = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            while (Volatile.Read(ref _connectsOutstanding) < window && next + 100 < _peers)
            {
                int requester = next;
                next = next % 200 == 99 ? next + 101 : next + 1;
                if (Volatile.Read(ref _registered[requester]) == 0 || Volatile.Read(ref _registered[requester + 100]) == 0)
                {
                    continue;
                }

                Interlocked.Increment(ref _connectsOutstanding);
                Interlocked.Increment(ref _connectsSent);
                Volatile.Write(ref _connectSentAt[requester], Stopwatch.GetTimestamp());
                _connectsInFlight.Enqueue(requester);
                Send(requester, KindConnect, (b, id) => new ConnectRequest(id, _identities[requester], _identities[requester + 100].Name).WriteTo(b));
            }

            ExpireConnects();
            Tick();
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"registered={RegisteredCount} challenges={Interlocked.Read(ref _challenges)} register_retries={Interlocked.Read(ref _registerRetries)} refresh_lost={Interlocked.Read(ref _refreshLost)} refresh_errors={Interlocked.Read(ref _refreshErrors)} other_errors={Interlocked.Read(ref _otherErrors)} connects_sent={Interlocked.Read(ref _connectsSent)} introductions={Interlocked.Read(ref _introductions)} connects_lost={Interlocked.Read(ref _connectsLost)} connect_errors={Interlocked.Read(ref _connectErrors)}");

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        Task.WaitAll([.. _receivers], TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }

    private int SlotNow() => (int)(Stopwatch.GetTimestamp() / (SlotLength.TotalSeconds * Stopwatch.Frequency) % _wheel.Length);

    private int _lastSlot = -1;

    /// <summary>Refreshes the peers of every wheel slot passed since the last tick, then sleeps about a millisecond.</summary>
    private void Tick()
    {
        int now = SlotNow();
        if (_lastSlot < 0)
        {
            _lastSlot = now;
        }

        while (_lastSlot != now)
        {
            _lastSlot = (_lastSlot + 1) % _wheel.Length;
            foreach (int peer in _wheel[_lastSlot])
            {
                RefreshOrRegister(peer);
            }
        }

        Thread.Sleep(1);
    }

    private void RefreshOrRegister(int peer)
    {
        if (Volatile.Read(ref _registered[peer]) == 0)
        {
            // Its Register (or the answer) was lost, or a refresh said it is not registered: register again.
            Interlocked.Increment(ref _registerRetries);
            SendRegister(peer);
            return;
        }

        if (Interlocked.Exchange(ref _refreshSentAt[peer], Stopwatch.GetTimestamp()) != 0)
        {
            Interlocked.Increment(ref _refreshLost);
        }

        Send(peer, KindRefresh, (b, id) => new RefreshRequest(id, _identities[peer], null).WriteTo(b));
    }

    private void SendRegister(int peer)
    {
        var cookie = _cookies[peer % _sockets.Length];
        Volatile.Write(ref _registerSentAt[peer], Stopwatch.GetTimestamp());
        Send(peer, KindRegister, (b, id) => new RegisterRequest(id, _identities[peer], ImmutableArray<IPEndPoint>.Empty, Cookie: cookie).WriteTo(b));
    }

    private void Send(int peer, ulong kind, Func<byte[], TransactionId, int> write)
    {
        var buffer = t_buffer ??= new byte[StunConstants.MaxMessageLength];
        var id = new TransactionId((kind << 56) | (uint)peer, Interlocked.Increment(ref _sequence));
        int length = write(buffer, id);
        try
        {
            _sockets[peer % _sockets.Length].Send(buffer.AsSpan(0, length));
        }
        catch (SocketException)
        {
            // A full send buffer or an ICMP error from an earlier datagram: the retry paths cover it.
        }
    }

    private void ExpireConnects()
    {
        long oldest = Stopwatch.GetTimestamp() - (long)(ConnectTimeout.TotalSeconds * Stopwatch.Frequency);
        while (_connectsInFlight.TryPeek(out int requester))
        {
            long sentAt = Volatile.Read(ref _connectSentAt[requester]);
            if (sentAt != 0 && sentAt > oldest)
            {
                break;
            }

            _connectsInFlight.TryDequeue(out _);
            if (sentAt != 0 && Interlocked.CompareExchange(ref _connectSentAt[requester], 0, sentAt) == sentAt)
            {
                Interlocked.Increment(ref _connectsLost);
                Interlocked.Decrement(ref _connectsOutstanding);
            }
        }
    }

    private async Task ReceiveLoopAsync(int socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        while (!cancellationToken.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _sockets[socket].ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                // ICMP port unreachable (server not up yet) on a connected UDP socket: keep reading.
                continue;
            }

            Handle(socket, buffer.AsSpan(0, length));
        }
    }

    private void Handle(int socket, ReadOnlySpan<byte> datagram)
    {
        long now = Stopwatch.GetTimestamp();
        if (RegistrationResponse.TryRead(datagram, out var registration))
        {
            int peer = PeerOf(registration.TransactionId, out ulong kind);
            if (kind == KindRegister && Interlocked.CompareExchange(ref _registered[peer], 1, 0) == 0)
            {
                var elapsed = Stopwatch.GetElapsedTime(Volatile.Read(ref _registerSentAt[peer]), now);
                Registration.Add(elapsed);
                if (Interlocked.Increment(ref _registeredCount) > _peers * 8L / 10)
                {
                    RegistrationUnderLoad.Add(elapsed);
                }
            }
            else if (kind == KindRefresh)
            {
                long sentAt = Interlocked.Exchange(ref _refreshSentAt[peer], 0);
                if (sentAt != 0 && _measureSteadyRefresh)
                {
                    SteadyRefresh.Add(Stopwatch.GetElapsedTime(sentAt, now));
                }
            }
        }
        else if (Core.Protocol.Introduction.TryRead(datagram, out var introduction))
        {
            Reply(socket, (b, _) => new IntroductionAck(introduction.TransactionId, introduction.SessionId).WriteTo(b));
            // The requester's introduction names its target p(i + 100); the target's names p(i).
            if (introduction.PeerName.StartsWith('p') && int.TryParse(introduction.PeerName.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int named)
                && named % 200 >= 100 && named - 100 < _peers)
            {
                int requester = named - 100;
                long sentAt = Interlocked.Exchange(ref _connectSentAt[requester], 0);
                if (sentAt != 0)
                {
                    Introduction.Add(Stopwatch.GetElapsedTime(sentAt, now));
                    Interlocked.Increment(ref _introductions);
                    Interlocked.Decrement(ref _connectsOutstanding);
                }
            }
        }
        else if (AddressChallenge.TryRead(datagram, out var challenge))
        {
            // First Register from this socket, or a cookie older than its lifetime: take the new one and send again.
            int peer = PeerOf(challenge.TransactionId, out _);
            _cookies[socket] = challenge.Cookie;
            Interlocked.Increment(ref _challenges);
            SendRegister(peer);
        }
        else if (ErrorResponse.TryRead(datagram, out var error))
        {
            int peer = PeerOf(error.TransactionId, out ulong kind);
            if (kind == KindRefresh)
            {
                Interlocked.Exchange(ref _refreshSentAt[peer], 0);
                Interlocked.Increment(ref _refreshErrors);
                if (Interlocked.Exchange(ref _registered[peer], 0) == 1)
                {
                    Interlocked.Decrement(ref _registeredCount);
                }
            }
            else if (kind == KindConnect)
            {
                Interlocked.Increment(ref _connectErrors);
            }
            else
            {
                if (Interlocked.Increment(ref _otherErrors) <= 5)
                {
                    Console.Error.WriteLine($"error {error.Code} for {_identities[peer]}: {error.Reason}");
                }
            }
        }
    }

    private int PeerOf(TransactionId id, out ulong kind)
    {
        kind = id.High >> 56;
        return (int)Math.Min((uint)id.High, (uint)(_peers - 1));
    }

    private void Reply(int socket, Func<byte[], TransactionId, int> write)
    {
        var buffer = t_buffer ??= new byte[StunConstants.MaxMessageLength];
        int length = write(buffer, default);
        try
        {
            _sockets[socket].Send(buffer.AsSpan(0, length));
        }
        catch (SocketException)
        {
        }
    }
}
