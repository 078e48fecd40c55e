using System.Net;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Streams;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Output;

namespace Punch.Peer.Sessions;

/// <summary>
/// Chooses the path of one session's frames, the way Tailscale uses DERP: the relay (activated right
/// after the introduction) carries traffic at once while punching goes on; a confirmed direct path
/// takes over; when the direct path dies, traffic falls back to the relay at once and punching starts
/// again (a fresh <see cref="PunchSession"/> with the same credentials and candidates) after 2 s,
/// 4 s, 8 s … at most 60 s apart, <see cref="MaxPunchRetries"/> times. Frames are accepted from the
/// relay and from the direct remote alike, so nothing in flight is lost while the sides switch at
/// slightly different moments. Also owns the extra sockets of port prediction and counts the bytes
/// each path carried. Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class PathSwitch : IRelayListener
{
    public const int MaxPunchRetries = 8;
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    private readonly SessionContext _context;
    private readonly PunchSetup _setup;
    private readonly PunchOptions _options;
    private readonly PathPolicy _policy;
    private readonly IPathListener _listener;
    private readonly RelayLink? _relay;
    private readonly long _introducedAt;
    private readonly byte[] _keepalive = new byte[PeerFrame.HeaderLength + PeerFrame.FixedPayloadLength];
    private PunchSession? _punch;
    private SocketSet? _extraSockets;
    private string? _punchFailure;
    private int _punchRetries;
    private long? _nextPunch;
    private int _earlierChecksSent;
    private int _earlierChecksReceived;
    private TimeSpan _relayRoundTrip;
    private long _lastRelayedSend;

    /// <summary>
    /// Our relay end is active but nothing came from the peer through it yet. Traffic may flow at once
    /// (within a round trip of the introduction), but pings wait for <see cref="PeerConfirmed"/>: if the
    /// peer's introduction was lost and is being retransmitted, pings over a one-sided relay would all
    /// go unanswered and the run would give up before the peer even arrived.
    /// </summary>
    private bool _relayUnconfirmed;

    private static readonly TimeSpan RelayHelloInterval = TimeSpan.FromMilliseconds(250);

    public PathSwitch(Introduction introduction, SessionContext context, PunchOptions options, NatType localNat, PathPolicy policy, IPathListener listener)
    {
        _context = context;
        _options = options;
        _policy = policy;
        _listener = listener;
        _introducedAt = context.Time.GetTimestamp();
        var remoteNat = PortMappedNat.Remote(new NatType(introduction.RemoteMapping, introduction.RemoteFiltering), introduction.Candidates);
        _setup = new PunchSetup(introduction.SessionId, introduction.Controlling, introduction.Local, introduction.Remote, introduction.Candidates,
            localNat.Mapping, remoteNat.Mapping, localNat.Filtering, remoteNat.Filtering);
        Strategy = FamilyPreference.Choose(localNat, remoteNat, introduction.Candidates);
        // The relay's channel frames the data on every path, so neither side has to re-frame when it switches.
        Channel = introduction.RelayChannel ?? PeerFrame.ChannelFor(introduction.SessionId.Value);
        if (introduction.RelayChannel is { } channel && policy != PathPolicy.DirectOnly)
        {
            _relay = new RelayLink(introduction.SessionId, channel, introduction.Local, context.Rendezvous, context.Time, this);
        }

        if (policy != PathPolicy.RelayOnly)
        {
            _punch = new PunchSession(_setup, options, context.Time);
        }

        new PeerFrame(Channel, PeerFrameType.Ping, RelayKeepaliveSequence, 0, string.Empty).WriteTo(_keepalive);
    }

    /// <summary>Pings of <see cref="PingTracker"/> count from 1; a ping 0 only keeps an idle relay open (the answer is ignored).</summary>
    public const uint RelayKeepaliveSequence = 0;

    public ushort Channel { get; }
    public PunchStrategy Strategy { get; }
    public ActivePath? Current { get; private set; }
    public long BytesDirect { get; private set; }
    public long BytesRelayed { get; private set; }
    public int ChecksSent => _earlierChecksSent + (_punch?.ChecksSent ?? 0);
    public int ChecksReceived => _earlierChecksReceived + (_punch?.ChecksReceived ?? 0);
    public TimeSpan Elapsed => _context.Time.GetElapsedTime(_introducedAt);

    /// <summary>Activates the relay (when offered and allowed); punching already runs on the timer.</summary>
    public void Start()
    {
        if (_policy == PathPolicy.RelayOnly && _relay is null)
        {
            _listener.OnNoPath("--relay-only, but the server offered no relay for this session (it has none, or is at its relay capacity)", hadPath: false);
            return;
        }

        _relay?.Activate();
    }

    /// <summary>Offers a check or check answer that arrived on local socket <paramref name="socket"/>; false when it is not this session's.</summary>
    public bool TryHandleStun(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (_punch is null || !_punch.OnDatagram(socket, from, datagram, out var actions))
        {
            return false;
        }

        if (_nextPunch is not null && _punch.State is PunchState.Failed or PunchState.Lost
            && StunMessage.TryParse(datagram, out var message) && message.Type.Class == StunClass.Request)
        {
            // The peer punches again already: join it now rather than at our own backoff time, so both sides check at once.
            RestartPunching();
            _punch.OnDatagram(socket, from, datagram, out actions);
        }

        Apply(actions);
        return true;
    }

    /// <summary>Which path a frame from <paramref name="from"/> on <paramref name="socket"/> came over, or null when it came from neither (then it is not the peer's).</summary>
    public PathKind? AcceptFrom(int socket, IPEndPoint from)
    {
        if (_relay is { Forwards: true } && socket == 0 && from.Equals(_relay.Server))
        {
            _relayUnconfirmed = false;
            return PathKind.Relayed;
        }

        if (_punch is { State: PunchState.Connected } && socket == _punch.SelectedSocket && from.Equals(_punch.SelectedRemote))
        {
            _punch.NoteActivity(from);
            return PathKind.Direct;
        }

        // The other side confirmed the direct path first and already sends over it: its checks proved the address.
        return _punch is { State: PunchState.Checking } punch && punch.HasHeardFrom(socket, from) ? PathKind.Direct : null;
    }

    /// <summary>
    /// Sends a frame over the current path. With none yet but our relay activation on its way, it goes
    /// to the relay: the other side (whose activation was answered first) already sends through it,
    /// and its first ping deserves a pong. Dropped when there is no path at all.
    /// </summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        switch (Current)
        {
            case null when _relay is { Forwards: true } relay:
                SendRelayed(relay.Server, frame);
                break;
            case { Kind: PathKind.Direct } direct:
                SendFrom(direct.Socket, direct.Remote, frame);
                BytesDirect += frame.Length;
                break;
            case { Kind: PathKind.Relayed } relayed:
                SendRelayed(relayed.Remote, frame);
                break;
        }
    }

    private void SendRelayed(IPEndPoint server, ReadOnlySpan<byte> frame)
    {
        _context.Sender.Send(server, frame);
        BytesRelayed += frame.Length;
        _lastRelayedSend = _context.Time.GetTimestamp();
    }

    /// <summary>
    /// The peer is known to be there (a direct path, confirmed both ways by checks, or an answer through
    /// the relay), or it had the punching timeout to show up and did not: then the work starts anyway and fails on its own terms.
    /// </summary>
    public bool PeerConfirmed => Current is { Kind: PathKind.Direct }
        || (Current is { Kind: PathKind.Relayed } && (!_relayUnconfirmed || _context.Time.GetElapsedTime(_introducedAt) >= _options.Timeout));

    public void OnTimer()
    {
        if (_punch?.NextTimerDue() is { } due && due <= TimeSpan.Zero)
        {
            Apply(_punch.OnTimer());
        }

        if (_nextPunch is { } retryAt && _context.Time.HasPassed(retryAt))
        {
            RestartPunching();
        }

        if (Current is { Kind: PathKind.Relayed } && _context.Time.HasPassed(_context.Time.After(_relay!.KeepaliveInterval, _lastRelayedSend)))
        {
            Send(_keepalive);
        }

        if (_relayUnconfirmed && Current is { Kind: PathKind.Relayed } && _context.Time.HasPassed(_context.Time.After(RelayHelloInterval, _lastRelayedSend)))
        {
            Send(_keepalive);
        }
    }

    public TimeSpan? NextDue()
    {
        var due = _punch?.NextTimerDue();
        if (_nextPunch is { } retryAt)
        {
            due = Deadline.Earliest(due, _context.Time.Until(retryAt));
        }

        if (Current is { Kind: PathKind.Relayed })
        {
            var every = _relayUnconfirmed ? RelayHelloInterval : _relay!.KeepaliveInterval;
            due = Deadline.Earliest(due, _context.Time.Until(_context.Time.After(every, _lastRelayedSend)));
        }

        return due;
    }

    /// <summary>The server stopped relaying this session.</summary>
    public void OnRelayClosed(string? reason) => _relay?.OnClosed(reason);

    /// <summary>The session is over: no more punching, and port prediction's sockets close.</summary>
    public void Stop()
    {
        _nextPunch = null;
        _extraSockets?.Dispose();
    }

    void IRelayListener.OnRelayActive(TimeSpan roundTripTime)
    {
        _relayRoundTrip = roundTripTime;
        if (Current is null)
        {
            MoveTo(PathKind.Relayed, _relay!.Server, 0, roundTripTime, _punchFailure is null ? "the relay is ready; punching goes on" : null);
            // A hello (the relay keepalive ping) that the peer answers through the relay confirms it: see _relayUnconfirmed.
            _relayUnconfirmed = true;
            Send(_keepalive);
        }
    }

    void IRelayListener.OnRelayUnavailable(string reason)
    {
        _context.Events.Emit(new WarningEvent($"no relay for the session with {_setup.SessionId}: {reason}"));
        bool punching = _punch is { State: PunchState.Checking or PunchState.Connected };
        if (Current is { Kind: PathKind.Relayed } || (Current is null && !punching))
        {
            bool hadPath = Current is not null;
            Current = null;
            _listener.OnNoPath(_punchFailure is null ? $"no relay: {reason}" : $"{_punchFailure}; and no relay: {reason}", hadPath);
        }
    }

    void IRelayListener.OnRelayClosed(string reason)
    {
        _context.Events.Emit(new WarningEvent($"{reason} (session {_setup.SessionId})"));
        if (Current is not { Kind: PathKind.Direct })
        {
            bool hadPath = Current is not null;
            Current = null;
            _listener.OnNoPath(reason, hadPath);
        }
    }

    private void Apply(IReadOnlyList<PunchAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case SendDatagram send:
                    SendFrom(send.Socket, send.To, send.Datagram);
                    break;
                case OpenSockets open:
                    OpenExtraSockets(open.Count);
                    break;
                case PathUp up:
                    // The path has its socket; the others only held NAT mappings the peer's probes no longer need.
                    _extraSockets?.KeepOnly(up.Socket);
                    _punchRetries = 0;
                    _punchFailure = null;
                    MoveTo(PathKind.Direct, up.Remote, up.Socket, up.RoundTripTime, Current is null ? null : "the direct path is confirmed");
                    break;
                case PunchFailed failed:
                    OnPunchFailed(failed.Reason);
                    break;
                case PathLost lost:
                    OnDirectLost(lost.Reason);
                    break;
            }
        }
    }

    private void OnPunchFailed(string reason)
    {
        _punchFailure = reason;
        _extraSockets?.Dispose();
        if (_relay is null || _relay.State == RelayState.Unavailable)
        {
            _listener.OnNoPath(reason, hadPath: false);
            return;
        }

        // The relay carries the traffic (or will, once it answers; if it refuses, the session fails with this reason).
        _listener.OnPunchingFailed(reason, ScheduleRetry());
    }

    private void OnDirectLost(string reason)
    {
        _extraSockets?.Dispose();
        if (_relay is null || _relay.State == RelayState.Unavailable)
        {
            Current = null;
            _listener.OnNoPath(reason, hadPath: true);
            return;
        }

        // Back to the relay at once, and ask for it again: the server may have released it once we were direct.
        _relay.Activate();
        _punchFailure = $"the direct path was lost: {reason}";
        MoveTo(PathKind.Relayed, _relay.Server, 0, _relayRoundTrip, _punchFailure);
        ScheduleRetry();
    }

    private TimeSpan? ScheduleRetry()
    {
        if (Strategy == PunchStrategy.Impossible || _punchRetries >= MaxPunchRetries)
        {
            return null; // The same candidates would fail the same way.
        }

        var delay = TimeSpan.FromTicks(Math.Min(FirstRetryDelay.Ticks << _punchRetries, MaxRetryDelay.Ticks));
        _nextPunch = _context.Time.After(delay);
        return delay;
    }

    private void RestartPunching()
    {
        _nextPunch = null;
        _punchRetries++;
        _earlierChecksSent += _punch!.ChecksSent;
        _earlierChecksReceived += _punch.ChecksReceived;
        _extraSockets?.Dispose();
        _extraSockets = null;
        _punch = new PunchSession(_setup, _options, _context.Time);
    }

    private void MoveTo(PathKind kind, IPEndPoint remote, int socket, TimeSpan roundTripTime, string? reason)
    {
        var previous = Current?.Kind;
        var candidate = kind == PathKind.Direct ? _punch?.SelectedKind ?? CandidateKind.PeerReflexive : CandidateKind.Relayed;
        Current = new ActivePath(kind, remote, socket, Elapsed, roundTripTime, candidate);
        _lastRelayedSend = _context.Time.GetTimestamp();
        _listener.OnPathChanged(Current, previous, reason);
    }

    private void OpenExtraSockets(int requested)
    {
        _extraSockets?.Dispose();
        _extraSockets = _context.Sockets.Open(Math.Min(requested, _options.PredictionSockets), TryHandleExtraDatagram);
        if (_extraSockets.Shortfall is { } shortfall)
        {
            _context.Events.Emit(new WarningEvent($"{shortfall}; port prediction is less likely to succeed"));
        }
    }

    /// <summary>Checks while punching; frames once the path is on an extra socket go to the session's frame handler.</summary>
    private bool TryHandleExtraDatagram(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (StunMessage.TryParse(datagram, out var message))
        {
            return message.Type.Method == StunMessageType.BindingMethod && TryHandleStun(socket, from, datagram);
        }

        if (StreamPackets.LooksLikeStreamPacket(datagram))
        {
            return _listener.TryHandleStreamPacket(socket, from, datagram);
        }

        return PeerFrame.TryRead(datagram, out var frame) && _listener.TryHandleFrame(socket, from, frame);
    }

    private void SendFrom(int socket, IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        if (socket == 0)
        {
            _context.Sender.Send(to, datagram);
        }
        else
        {
            _extraSockets?.Send(socket, to, datagram);
        }
    }
}
