using System.Net;
using System.Text;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Sessions;

/// <summary>What every session of one peer shares: the main socket (<see cref="Sender"/>) and the pool port prediction takes extra sockets from.</summary>
internal sealed record SessionContext(
    PeerIdentity Self, IDatagramSender Sender, SocketPool Sockets, RendezvousClient Rendezvous, IPeerEventSink Events, TimeProvider Time);

/// <summary>
/// One introduction, from punching to goodbye: drives the <see cref="PunchSession"/> (checks,
/// keepalives, port prediction's extra sockets), reports the outcome to the server, then carries
/// <see cref="PeerFrame"/>s over the selected path: answers pings, measures its own, delivers and
/// acknowledges chat lines. Frames are accepted only on the session's channel from the selected
/// remote on the selected local socket, so nothing else can inject data, and they leave from that
/// socket too: behind a symmetric NAT only that socket's public port is known to the peer.
/// Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class PeerSession
{
    private const int ReportAttempts = 5;

    private readonly SessionContext _context;
    private readonly PunchSession _punch;
    private readonly ReliableMessages _messages;
    private readonly TaskCompletionSource<bool> _pathReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _frameBuffer = new byte[PeerFrame.HeaderLength + PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes];
    private readonly int _maxExtraSockets;
    private SocketSet? _extraSockets;
    private PingTracker? _pings;
    private TaskCompletionSource<PingSummary>? _pingsDone;
    private TimeSpan _roundTripTime;

    /// <param name="localMapping">Our NAT's mapping as measured at registration; with the peer's (from the introduction) it picks the strategy.</param>
    public PeerSession(Introduction introduction, SessionContext context, PunchOptions options, NatMapping localMapping)
    {
        _context = context;
        PeerName = introduction.PeerName;
        Id = introduction.SessionId;
        Channel = PeerFrame.ChannelFor(Id.Value);
        _maxExtraSockets = options.PredictionSockets;
        var setup = new PunchSetup(Id, introduction.Controlling, introduction.Local, introduction.Remote, introduction.Candidates,
            localMapping, introduction.RemoteMapping);
        _punch = new PunchSession(setup, options, context.Time);
        _messages = new ReliableMessages(context.Time);
        int predictionCount = _punch.Strategy switch
        {
            PunchStrategy.OpenManySockets => options.PredictionSockets,
            PunchStrategy.SprayPorts => options.PredictionProbes,
            _ => 0,
        };
        Introduced = new IntroducedEvent(PeerName, Id, introduction.Controlling, introduction.Candidates, introduction.RemoteMapping, _punch.Strategy, predictionCount);
    }

    public string PeerName { get; }
    public SessionId Id { get; }
    public ushort Channel { get; }

    /// <summary>What to tell the user about this introduction: candidates, both mappings and the strategy they lead to.</summary>
    public IntroducedEvent Introduced { get; }

    /// <summary>Answer every received chat line by sending it back (what <c>punch listen</c> does).</summary>
    public bool EchoMessages { get; init; }

    /// <summary>True once the path is up, false when punching failed.</summary>
    public Task<bool> PathReady => _pathReady.Task;

    /// <summary>Completes with the reason when the session ends: closed by either side, path lost, punching failed.</summary>
    public Task<string> Ended => _ended.Task;

    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>The peer said goodbye (a Close frame), as opposed to the path failing or us closing.</summary>
    public bool ClosedByPeer { get; private set; }
    public long? EndedAt { get; private set; }
    public int UnacknowledgedMessages => _messages.UnacknowledgedCount;
    private bool IsConnected => _punch.State == PunchState.Connected && !IsEnded;

    /// <summary>Offers a STUN datagram that arrived on local socket <paramref name="socket"/> (a check or a check's answer); false when it is not this session's.</summary>
    public bool TryHandleStun(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (IsEnded || !_punch.OnDatagram(socket, from, datagram, out var actions))
        {
            return false;
        }

        Apply(actions);
        return true;
    }

    /// <summary>Handles a frame of this session's channel; false when it did not come from the selected path (remote and local socket).</summary>
    public bool TryHandleFrame(int socket, IPEndPoint from, in PeerFrame frame)
    {
        if (frame.Channel != Channel || !IsConnected || socket != _punch.SelectedSocket || !from.Equals(_punch.SelectedRemote))
        {
            return false;
        }

        _punch.NoteActivity(from);
        switch (frame.Type)
        {
            case PeerFrameType.Ping:
                SendFrame(PeerFrameType.Pong, frame.Sequence, frame.Timestamp);
                break;
            case PeerFrameType.Pong when _pings?.OnPong(frame.Sequence) is { } roundTrip:
                _context.Events.Emit(new PongEvent(PeerName, Id, frame.Sequence, roundTrip));
                CompletePingsIfDone();
                break;
            case PeerFrameType.Message:
                SendFrame(PeerFrameType.MessageAck, frame.Sequence, 0);
                if (_messages.IsNew(frame.Sequence))
                {
                    _context.Events.Emit(new MessageEvent(PeerName, Id, frame.Text));
                    if (EchoMessages)
                    {
                        SendMessage(frame.Text);
                    }
                }

                break;
            case PeerFrameType.MessageAck:
                _messages.OnAcknowledged(frame.Sequence);
                break;
            case PeerFrameType.Close:
                string reason = $"{PeerName} closed the session" + (frame.Text.Length > 0 ? $": {frame.Text}" : string.Empty);
                ClosedByPeer = true;
                Report(SessionOutcome.Closed, reason);
                _context.Events.Emit(new ClosedEvent(reason, PeerName, Id));
                End(reason);
                break;
        }

        return true;
    }

    public void OnTimer()
    {
        if (IsEnded)
        {
            return;
        }

        if (_punch.NextTimerDue() is { } due && due <= TimeSpan.Zero)
        {
            Apply(_punch.OnTimer());
        }

        if (!IsConnected)
        {
            return;
        }

        while (_pings?.TakeDuePing() is { } sequence)
        {
            SendFrame(PeerFrameType.Ping, sequence, _context.Time.GetTimestamp());
        }

        CompletePingsIfDone();
        var (resend, givenUp) = _messages.TakeDue();
        foreach (var (sequence, text) in resend)
        {
            SendFrame(PeerFrameType.Message, sequence, 0, text);
        }

        foreach (uint sequence in givenUp)
        {
            _context.Events.Emit(new WarningEvent($"message {sequence} to {PeerName} was never acknowledged after {ReliableMessages.MaxAttempts} tries"));
        }
    }

    public TimeSpan? NextDue()
    {
        if (IsEnded)
        {
            return null;
        }

        var due = _punch.NextTimerDue();
        if (IsConnected)
        {
            due = Deadline.Earliest(due, _pings?.NextDue());
            due = Deadline.Earliest(due, _messages.NextDue());
        }

        return due;
    }

    /// <summary>Starts <paramref name="count"/> pings, one per interval; completes with the summary (early if the session ends).</summary>
    public Task<PingSummary> StartPings(int count, TimeSpan interval)
    {
        _pings = new PingTracker(_context.Time, count, interval);
        _pingsDone = new TaskCompletionSource<PingSummary>(TaskCreationOptions.RunContinuationsAsynchronously);
        return _pingsDone.Task;
    }

    /// <summary>Sends a chat line; returns what is wrong with it instead when it cannot go.</summary>
    public string? SendMessage(string text)
    {
        if (!IsConnected)
        {
            return $"the session with {PeerName} is not connected";
        }

        int bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > PeerFrame.MaxTextBytes)
        {
            return $"the line is {bytes} bytes; at most {PeerFrame.MaxTextBytes} fit in one message";
        }

        uint sequence = _messages.Add(text);
        SendFrame(PeerFrameType.Message, sequence, 0, text);
        return null;
    }

    /// <summary>Says goodbye to the peer (a Close frame), reports Closed to the server and ends the session.</summary>
    public void Close(string reason)
    {
        if (IsEnded)
        {
            return;
        }

        if (IsConnected)
        {
            SendFrame(PeerFrameType.Close, 0, 0, reason);
        }

        Report(_punch.State == PunchState.Connected ? SessionOutcome.Closed : SessionOutcome.Failed, reason);
        _context.Events.Emit(new ClosedEvent(reason, PeerName, Id));
        _pathReady.TrySetResult(false);
        End(reason);
    }

    /// <summary>Everything that arrives on one of this session's extra sockets: checks while punching, frames once the path is on that socket.</summary>
    private bool TryHandleExtraDatagram(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (StunMessage.TryParse(datagram, out var message))
        {
            return message.Type.Method == StunMessageType.BindingMethod && TryHandleStun(socket, from, datagram);
        }

        return PeerFrame.TryRead(datagram, out var frame) && TryHandleFrame(socket, from, frame);
    }

    private void Apply(IReadOnlyList<PunchAction> actions)
    {
        foreach (var action in actions)
        {
            switch (action)
            {
                case SendDatagram send:
                    Send(send.Socket, send.To, send.Datagram);
                    break;
                case OpenSockets open:
                    OpenExtraSockets(open.Count);
                    break;
                case PathUp up:
                    // The path has its socket; the others only held NAT mappings the peer's probes no longer need.
                    _extraSockets?.KeepOnly(up.Socket);
                    _roundTripTime = up.RoundTripTime;
                    _context.Events.Emit(new PathEvent(PeerName, Id, PathKind.Direct, up.Remote, up.Elapsed, up.RoundTripTime, up.Socket));
                    Report(SessionOutcome.PathUp, null, up.Elapsed);
                    _pathReady.TrySetResult(true);
                    break;
                case PunchFailed failed:
                    _context.Events.Emit(new FailedEvent(failed.Reason, PeerName, Id));
                    Report(SessionOutcome.Failed, failed.Reason, failed.Elapsed);
                    _pathReady.TrySetResult(false);
                    End(failed.Reason);
                    break;
                case PathLost lost:
                    _context.Events.Emit(new FailedEvent($"path to {PeerName} lost: {lost.Reason}", PeerName, Id));
                    Report(SessionOutcome.Closed, lost.Reason);
                    End(lost.Reason);
                    break;
            }
        }
    }

    private void OpenExtraSockets(int requested)
    {
        _extraSockets?.Dispose();
        _extraSockets = _context.Sockets.Open(Math.Min(requested, _maxExtraSockets), TryHandleExtraDatagram);
        if (_extraSockets.Shortfall is { } shortfall)
        {
            _context.Events.Emit(new WarningEvent($"{shortfall}; port prediction toward {PeerName} is less likely to succeed"));
        }
    }

    private void Send(int socket, IPEndPoint to, ReadOnlySpan<byte> datagram)
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

    /// <summary>Reports go out with retransmission but nobody waits for them: the data path never depends on the server.</summary>
    private void Report(SessionOutcome outcome, string? reason, TimeSpan? elapsed = null)
    {
        bool pathUp = outcome == SessionOutcome.PathUp || _punch.State == PunchState.Connected;
        var report = new ReportRequest(
            TransactionId.NewRandom(), _context.Self, Id, outcome,
            PathKind: pathUp ? PathKind.Direct : null,
            RemoteEndPoint: _punch.SelectedRemote,
            Elapsed: elapsed ?? _punch.Elapsed,
            RoundTripTime: pathUp ? _roundTripTime : null,
            ChecksSent: _punch.ChecksSent,
            ChecksReceived: _punch.ChecksReceived,
            Reason: reason);
        _context.Rendezvous.Send(_context.Rendezvous.Encode(report.WriteTo), static (_, _) => { }, ReportAttempts);
    }

    private void CompletePingsIfDone()
    {
        if (_pings is { IsDone: true } && _pingsDone is { Task.IsCompleted: false })
        {
            var summary = _pings.Summary();
            _context.Events.Emit(new PingsDoneEvent(PeerName, Id, summary));
            _pingsDone.TrySetResult(summary);
        }
    }

    private void End(string reason)
    {
        EndedAt ??= _context.Time.GetTimestamp();
        _extraSockets?.Dispose();
        _pathReady.TrySetResult(false);
        _pingsDone?.TrySetResult(_pings!.Summary());
        _ended.TrySetResult(reason);
    }

    private void SendFrame(PeerFrameType type, uint sequence, long timestamp, string text = "")
    {
        var remote = _punch.SelectedRemote;
        if (remote is null)
        {
            return;
        }

        int length = new PeerFrame(Channel, type, sequence, timestamp, text).WriteTo(_frameBuffer);
        Send(_punch.SelectedSocket, remote, _frameBuffer.AsSpan(0, length));
    }
}
