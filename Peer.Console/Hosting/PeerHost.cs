using System.Net;
using System.Net.Sockets;
using Punch.Core.Discovery;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Streams;
using Punch.Core.Stun;
using Punch.Peer.Netcheck;
using Punch.Peer.Output;
using Punch.Peer.PortMapping;
using Punch.Peer.Rendezvous;
using Punch.Peer.Sessions;

namespace Punch.Peer.Hosting;

/// <summary>
/// One UDP socket for everything (server and peers, so the server sees the mapping the peers will
/// use), one receive loop that reuses its buffer and dispatches each datagram, and one timer loop
/// for retransmissions, checks, keepalives and pings. Port prediction adds extra sockets
/// (<see cref="SocketPool"/>) whose datagrams are dispatched the same way. All state is touched
/// under one lock, so the components are plain single-threaded classes; nothing under the lock awaits.
/// </summary>
internal sealed class PeerHost : ISharedSocketSender, IAsyncDisposable
{
    private const int ReceiveQueueBytes = 4 * 1024 * 1024;
    private const int MaxDrainedPerWake = 64;
    private static readonly TimeSpan MaxTimerSleep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LoopStopWait = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly Socket _socket;
    private readonly IPEndPoint _anySender;
    private readonly byte[] _receiveBuffer = new byte[65_535];
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SessionTable _sessions;
    private readonly PeerHostSettings _settings;
    private Task _receiveLoop = Task.CompletedTask;
    private Task _timerLoop = Task.CompletedTask;
    private Task _discovery = Task.CompletedTask;
    private PortMappingKeeper? _portMapping;
    private long _droppedDatagrams;
    private bool _warnedAboutFault;

    private PeerHost(PeerHostSettings settings, Socket socket)
    {
        _settings = settings;
        _socket = socket;
        _anySender = DualStackSocket.AnySender(socket);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Rendezvous = new RendezvousClient(settings.Server, this, settings.Time, settings.NetworkKey);
        Registration = new Registration(Rendezvous, settings.Identity, HostCandidates.Gather(LocalEndPoint, settings.Server), settings.Time, settings.Events);
        ExtraSockets = new SocketPool(LocalEndPoint.Address, DispatchUnderLock, _stop.Token);
        _sessions = new SessionTable(
            new SessionContext(settings.Identity, this, ExtraSockets, Rendezvous, settings.Events, settings.Time),
            new SessionSettings(settings.SessionOptions, settings.Paths, settings.EchoMessages));
    }

    /// <summary>Called under the host's lock when an introduction starts a new session.</summary>
    /// <summary>A session was introduced and started (raised under the lock).</summary>
    public event Action<PeerSession>? SessionStarted
    {
        add => _sessions.Started += value;
        remove => _sessions.Started -= value;
    }

    public IPEndPoint LocalEndPoint { get; }
    internal PeerHostSettings Settings => _settings;
    public RendezvousClient Rendezvous { get; }
    public Registration Registration { get; }

    /// <summary>Port prediction's extra sockets, over all sessions.</summary>
    public SocketPool ExtraSockets { get; }

    /// <summary>Datagrams that were malformed or matched nothing (no session, wrong source): counted and dropped.</summary>
    public long DroppedDatagrams => Interlocked.Read(ref _droppedDatagrams);

    /// <summary>Binds the socket; throws <see cref="SocketException"/> when the address is unavailable or the port in use.</summary>
    public static PeerHost Open(PeerHostSettings settings)
    {
        var socket = DualStackSocket.Bind(settings.Bind);
        try
        {
            // Stream packets come in bursts of a congestion window: a larger queue (capped by the OS at
            // net.core.rmem_max) drops fewer of them while the receive loop is busy.
            socket.ReceiveBufferSize = ReceiveQueueBytes;
            return new PeerHost(settings, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start()
    {
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _timerLoop = Task.Run(TimerLoopAsync);
        if (_settings.DiscoverNat)
        {
            Invoke(() =>
            {
                Registration.ExpectNatDiscovery(RegistrationDiscovery.Wait);
                return true;
            });
            _discovery = Task.Run(DiscoverNatAsync);
        }

        if (_settings.PortMapping is { } mapping)
        {
            _portMapping = PortMappingStart.Begin(mapping, this);
        }
    }

    /// <summary>Our router's port mapping, while the peer runs (null: not asked for).</summary>
    internal PortMappingKeeper? PortMapping => _portMapping;

    /// <summary>Discovery on sockets of its own, in parallel with the registration; what it found goes to <see cref="Registration"/>.</summary>
    private async Task DiscoverNatAsync()
    {
        DiscoveryResult result;
        try
        {
            result = await NetcheckRunner.RunAsync(RegistrationDiscovery.Options(_settings.Server), new IPEndPoint(_settings.Bind.Address, 0), _settings.Time, _stop.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            result = new DiscoveryResult { Notes = [$"NAT discovery could not run: {e.Message}"] };
        }

        if (!_stop.IsCancellationRequested)
        {
            Invoke(() =>
            {
                Guarded(() => Registration.OnNatDiscovered(RegistrationDiscovery.Report(result), RegistrationDiscovery.Notes(result)));
                return true;
            });
        }
    }

    /// <summary>Runs <paramref name="action"/> under the lock, then wakes the timer loop in case it scheduled something.</summary>
    public T Invoke<T>(Func<T> action)
    {
        T result;
        lock (_gate)
        {
            result = action();
        }

        _wake.Set();
        return result;
    }

    public Task<ConnectResult> ConnectAsync(string target)
    {
        var result = new TaskCompletionSource<ConnectResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new ConnectRequest(TransactionId.NewRandom(), _settings.Identity, target);
        Invoke(() =>
        {
            Rendezvous.Send(Rendezvous.Encode(request.WriteTo), (kind, datagram) => result.TrySetResult(kind switch
            {
                ReplyKind.Error when ErrorResponse.TryRead(datagram, out var error) && error.Code == PunchErrorCode.Unauthenticated
                    => new ConnectResult(false, default, Registration.KeyRefusal(Rendezvous, _settings.Identity.Network, error)),
                ReplyKind.Success when ConnectResponse.TryRead(datagram, out var response) => new ConnectResult(true, response.Status, null),
                ReplyKind.Error when ErrorResponse.TryRead(datagram, out var error) => new ConnectResult(false, default, $"the server refused to connect us to {target}: {error.Code} {error.Reason}"),
                ReplyKind.NoAnswer => new ConnectResult(false, default, $"server {Rendezvous.Server} did not answer the connect request"),
                _ => new ConnectResult(false, default, $"server {Rendezvous.Server} sent a connect answer this peer cannot read"),
            }));
            return true;
        });
        return result.Task;
    }

    /// <summary>Closes every session (Close frames, reports) and unregisters, waiting at most <paramref name="unregisterWait"/> for the server.</summary>
    public async Task ShutdownAsync(string reason, TimeSpan unregisterWait)
    {
        var unregistered = Invoke(() =>
        {
            _sessions.CloseAll(reason);
            return Registration.UnregisterAsync();
        });
        var unmapped = _portMapping?.StopAsync(unregisterWait) ?? Task.CompletedTask;

        try
        {
            await Task.WhenAll(unregistered, unmapped).WaitAsync(unregisterWait, _settings.Time);
        }
        catch (TimeoutException)
        {
            // The server is gone; nothing else depends on it.
        }
    }

    public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        if (_settings.LoseTraffic?.Invoke(to) == true)
        {
            return;
        }

        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // An unreachable candidate (no route, wrong family) is normal while punching: that pair just never answers.
        }
        catch (ObjectDisposedException)
        {
            // Shutting down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_portMapping is not null)
        {
            await _portMapping.StopAsync(LoopStopWait); // Already stopped by a shutdown: returns at once.
        }

        await _stop.CancelAsync();
        _wake.Set();
        _socket.Dispose();
        ExtraSockets.Dispose();
        try
        {
            await Task.WhenAll(_receiveLoop, _timerLoop, _discovery).WaitAsync(LoopStopWait);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
            // The loops end by cancellation or by the socket closing under them.
        }

        _stop.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(_receiveBuffer, SocketFlags.None, _anySender, _stop.Token);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send, or an oversized datagram: neither stops the loop.
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            DispatchUnderLock(() =>
            {
                bool handled = Dispatch(DualStackSocket.Normalize(received.RemoteEndPoint), received.ReceivedBytes);
                DrainQueued();
                return handled;
            });
        }
    }

    /// <summary>
    /// Under the lock: handles datagrams already queued on the socket without another async round
    /// (a burst of stream packets costs one lock and one wake-up, not one each). Bounded per call;
    /// each datagram is counted as dropped on its own when nothing wanted it.
    /// </summary>
    private void DrainQueued()
    {
        for (int i = 0; i < MaxDrainedPerWake && _socket.Available > 0; i++)
        {
            // ReceiveFrom replaces the reference with the sender's endpoint; the template itself is never changed.
            EndPoint from = _anySender;
            int length;
            try
            {
                length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, ref from);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // An ICMP error for an earlier send, or shutting down: the async loop carries on or ends.
                return;
            }

            Guarded(() =>
            {
                if (!Dispatch(DualStackSocket.Normalize(from), length))
                {
                    _droppedDatagrams++;
                }
            });
        }
    }

    /// <summary>Handles one received datagram (from any socket) under the lock, counts it when nothing wanted it, and wakes the timer loop.</summary>
    private void DispatchUnderLock(Func<bool> handle)
    {
        lock (_gate)
        {
            Guarded(() =>
            {
                if (!handle())
                {
                    _droppedDatagrams++;
                }
            });
        }

        _wake.Set();
    }

    private async Task TimerLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            _wake.Reset();
            TimeSpan? due = null;
            lock (_gate)
            {
                Guarded(() => due = RunTimers());
            }

            var sleep = due is { } value && value < MaxTimerSleep ? value : MaxTimerSleep;
            try
            {
                await _wake.WaitAsync(sleep, _settings.Time, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Datagrams on the main socket: the server's (introductions, answers, including the mapping probe's), then checks and frames of the sessions.</summary>
    private bool Dispatch(IPEndPoint from, int length)
    {
        var datagram = _receiveBuffer.AsSpan(0, length);
        if (_settings.LoseTraffic?.Invoke(from) == true)
        {
            return false;
        }

        if (StunMessage.TryParse(datagram, out var message))
        {
            if (Rendezvous.IsServer(from) && message.Type.Method == PunchMethod.Introduction && message.Type.Class == StunClass.Request)
            {
                return OnIntroduction(datagram);
            }

            if (Rendezvous.IsServer(from) && GoodbyeIndication.TryRead(datagram, out var goodbye))
            {
                Registration.OnServerGoodbye(goodbye.Reason);
                return true;
            }

            if (Rendezvous.IsServer(from) && RelayClosedIndication.TryRead(datagram, out var relayClosed))
            {
                _sessions.OnRelayClosed(relayClosed.SessionId, relayClosed.Reason);
                return true;
            }

            if (Rendezvous.TryHandleResponse(from, datagram))
            {
                return true;
            }

            return message.Type.Method == StunMessageType.BindingMethod && _sessions.TryHandleStun(from, datagram);
        }

        if (StreamPackets.LooksLikeStreamPacket(datagram))
        {
            return _sessions.TryHandleStreamPacket(from, datagram);
        }

        return PeerFrame.TryRead(datagram, out var frame) && _sessions.TryHandleFrame(from, frame);
    }

    private bool OnIntroduction(ReadOnlySpan<byte> datagram)
    {
        // In a keyed network an unsigned or wrongly signed introduction is a forgery: not acknowledged, counted as dropped.
        if (!Introduction.TryRead(datagram, out var introduction) || !Rendezvous.IsAuthentic(datagram))
        {
            return false;
        }

        // Every copy is acknowledged (the server retransmits until it hears from us), but only the first starts the session.
        Send(Rendezvous.Server, Wire.Encode(new IntroductionAck(introduction.TransactionId, introduction.SessionId).WriteTo));
        _sessions.TryStart(introduction, PortMappedNat.Local(new NatType(Registration.Mapping, Registration.Nat.Filtering), Registration.HasPortMapping));
        return true;
    }

    private TimeSpan? RunTimers()
    {
        Rendezvous.OnTimer();
        Registration.OnTimer();
        return Deadline.Earliest(Deadline.Earliest(Rendezvous.NextDue(), Registration.NextDue()), _sessions.RunTimers());
    }

    /// <summary>A bug in handling one datagram or timer must not stop the loops: report it once and carry on.</summary>
    private void Guarded(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e)
        {
            _droppedDatagrams++;
            if (!_warnedAboutFault)
            {
                _warnedAboutFault = true;
                _settings.Events.Emit(new WarningEvent($"internal error, carrying on: {e.GetType().Name}: {e.Message}"));
            }
        }
    }
}
