using System.Buffers.Binary;
using System.Net;
using System.Text;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;
using Punch.Peer.Forwarding;
using Punch.Peer.Hosting;
using Punch.Peer.Output;

namespace Punch.Peer.Sessions;

/// <summary>
/// One introduction, from the first path to goodbye. <see cref="PathSwitch"/> picks the path (the
/// relay at once, the direct path once punching confirms one, the relay again if it dies); this class
/// reports each move to the server and carries <see cref="PeerFrame"/>s over whichever path is current:
/// answers pings, measures its own, delivers chat lines once and in order and acknowledges them.
/// Frames are accepted only on the session's channel and only from the relay or the punched remote
/// (on its local socket), so nothing else can inject data.
/// Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class PeerSession : IPathListener
{
    private const int ReportAttempts = 5;

    private readonly SessionContext _context;
    private readonly PathSwitch _paths;
    private readonly ReliableMessages _messages;
    private readonly InOrderDelivery _delivery;
    private readonly TaskCompletionSource<bool> _pathReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _frameBuffer = new byte[PeerFrame.HeaderLength + PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes];
    private PingTracker? _pings;
    private TaskCompletionSource<PingSummary>? _pingsDone;

    /// <param name="localNat">Our NAT's mapping and filtering as found at registration; with the peer's (from the introduction) it picks the strategy.</param>
    public PeerSession(Introduction introduction, SessionContext context, PunchOptions options, NatType localNat, PathPolicy policy = PathPolicy.RelayThenDirect)
    {
        _context = context;
        PeerName = introduction.PeerName;
        Id = introduction.SessionId;
        _paths = new PathSwitch(introduction, context, options, localNat, policy, this);
        _messages = new ReliableMessages(context.Time);
        _delivery = new InOrderDelivery(context.Time);
        int predictionCount = policy == PathPolicy.RelayOnly ? 0 : _paths.Strategy switch
        {
            PunchStrategy.OpenManySockets => options.PredictionSockets,
            PunchStrategy.SprayPorts => options.PredictionProbes,
            _ => 0,
        };
        Introduced = new IntroducedEvent(PeerName, Id, introduction.Controlling, introduction.Candidates, introduction.RemoteMapping, _paths.Strategy, predictionCount, introduction.RemoteFiltering);
    }

    public string PeerName { get; }
    public SessionId Id { get; }
    public ushort Channel => _paths.Channel;

    /// <summary>What to tell the user about this introduction: candidates, both mappings and the strategy they lead to.</summary>
    public IntroducedEvent Introduced { get; }

    /// <summary>Answer every received chat line by sending it back (what <c>punch listen</c> does).</summary>
    public bool EchoMessages { get; init; }

    /// <summary>True once a path (relayed or direct) is up, false when none came up.</summary>
    public Task<bool> PathReady => _pathReady.Task;

    /// <summary>Completes with the reason when the session ends: closed by either side, path lost, no path at all.</summary>
    public Task<string> Ended => _ended.Task;

    public bool IsEnded => _ended.Task.IsCompleted;

    /// <summary>The peer said goodbye (a Close frame), as opposed to the path failing or us closing.</summary>
    public bool ClosedByPeer { get; private set; }
    public long? EndedAt { get; private set; }
    public int UnacknowledgedMessages => _messages.UnacknowledgedCount;

    /// <summary>Carries stream packets (Core/Streams) over this session's path; the forwarding feature sets it when the session starts.</summary>
    public IStreamPacketHandler? Streams { get; set; }

    /// <summary>The kind of the path frames go over now, or null while there is none.</summary>
    public PathKind? CurrentPath => IsEnded ? null : _paths.Current?.Kind;

    private bool IsConnected => _paths.Current is not null && !IsEnded;

    /// <summary>Called once the introduction has been announced: activates the relay.</summary>
    public void Start() => _paths.Start();

    /// <summary>Offers a STUN datagram that arrived on local socket <paramref name="socket"/> (a check or a check's answer); false when it is not this session's.</summary>
    public bool TryHandleStun(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram) =>
        !IsEnded && _paths.TryHandleStun(socket, from, datagram);

    /// <summary>The server stopped relaying this session (a limit, or idle).</summary>
    public void OnRelayClosed(string? reason)
    {
        if (!IsEnded)
        {
            _paths.OnRelayClosed(reason);
        }
    }

    /// <summary>Handles a frame of this session's channel; false when it came neither from the relay nor from the punched path.</summary>
    public bool TryHandleFrame(int socket, IPEndPoint from, in PeerFrame frame)
    {
        if (frame.Channel != Channel || IsEnded || _paths.AcceptFrom(socket, from) is null)
        {
            return false;
        }

        // Answers go over the current path, whichever path the frame came over: during a switch both deliver.
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
                var arrival = _delivery.OnMessage(frame.Sequence, frame.Text);
                if (arrival.Acknowledge)
                {
                    SendFrame(PeerFrameType.MessageAck, frame.Sequence, 0);
                }

                Deliver(arrival.Deliverable);
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

    /// <summary>Handles a stream packet of this session's channel from the relay or the punched path; false otherwise (counted as dropped).</summary>
    public bool TryHandleStreamPacket(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        if (Streams is null || IsEnded || BinaryPrimitives.ReadUInt16BigEndian(datagram) != Channel || _paths.AcceptFrom(socket, from) is null)
        {
            return false;
        }

        Streams.OnDatagram(datagram);
        return true;
    }

    /// <summary>Sends an already framed datagram (a stream packet) over the current path.</summary>
    public void SendDatagram(ReadOnlySpan<byte> datagram)
    {
        if (!IsEnded)
        {
            _paths.Send(datagram);
        }
    }

    public void OnTimer()
    {
        if (IsEnded)
        {
            return;
        }

        _paths.OnTimer();
        Streams?.OnTimer();
        if (IsEnded)
        {
            return; // The last path went away just now.
        }

        Deliver(_delivery.OnTimer());
        // Lines retransmit even before our first path: an echo queued while our relay was still
        // activating goes out over it (or is dropped and tried again) until the peer acknowledges it.
        ResendDueMessages();
        if (!IsConnected)
        {
            return;
        }

        while (_paths.PeerConfirmed && _pings?.TakeDuePing() is { } sequence)
        {
            SendFrame(PeerFrameType.Ping, sequence, _context.Time.GetTimestamp());
        }

        CompletePingsIfDone();
    }

    private void ResendDueMessages()
    {
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

        var due = Deadline.Earliest(Deadline.Earliest(_paths.NextDue(), _delivery.NextDue()), Deadline.Earliest(_messages.NextDue(), Streams?.NextDue()));
        if (IsConnected && _paths.PeerConfirmed)
        {
            due = Deadline.Earliest(due, _pings?.NextDue());
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

    /// <summary>
    /// Sends a chat line; returns what is wrong with it instead when it cannot go. Before the first
    /// path the line is queued and retransmitted: a peer can receive (over a relay that is still
    /// activating on our side) before it has a path, and its echo must not be lost.
    /// </summary>
    public string? SendMessage(string text)
    {
        if (IsEnded)
        {
            return $"the session with {PeerName} has ended";
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

        bool connected = IsConnected;
        if (connected)
        {
            SendFrame(PeerFrameType.Close, 0, 0, reason);
        }

        Report(connected ? SessionOutcome.Closed : SessionOutcome.Failed, reason);
        _context.Events.Emit(new ClosedEvent(reason, PeerName, Id));
        End(reason);
    }

    void IPathListener.OnPathChanged(ActivePath path, PathKind? previous, string? reason)
    {
        if (IsEnded)
        {
            return;
        }

        _context.Events.Emit(new PathEvent(PeerName, Id, path.Kind, path.Remote, path.Elapsed, path.RoundTripTime, path.Socket, previous, reason, path.Candidate));
        Report(SessionOutcome.PathUp, previous is null ? null : reason, path.Elapsed);
        // Lines in flight may have died with the old path, or were queued before the first one; the
        // receiver drops what arrives twice.
        _messages.RestartRetransmits();
        Streams?.OnPathChanged();

        _pathReady.TrySetResult(true);
    }

    void IPathListener.OnPunchingFailed(string reason, TimeSpan? retryIn)
    {
        if (IsEnded)
        {
            return;
        }

        string next = retryIn is { } delay ? $"; punching again in {delay.TotalSeconds:0} s" : string.Empty;
        _context.Events.Emit(new WarningEvent($"no direct path to {PeerName} yet ({reason}); traffic stays on the relay{next}"));
        // Not Failed: the server would end the session (and its relay). A checks summary with the reason says why this session is relayed.
        Report(SessionOutcome.ChecksSummary, reason);
    }

    void IPathListener.OnNoPath(string reason, bool hadPath)
    {
        if (IsEnded)
        {
            return;
        }

        _context.Events.Emit(new FailedEvent(hadPath ? $"path to {PeerName} lost: {reason}" : reason, PeerName, Id));
        Report(hadPath ? SessionOutcome.Closed : SessionOutcome.Failed, reason);
        End(reason);
    }

    private void Deliver(IReadOnlyList<string> lines)
    {
        foreach (string text in lines)
        {
            _context.Events.Emit(new MessageEvent(PeerName, Id, text));
            if (EchoMessages)
            {
                SendMessage(text);
            }
        }
    }

    /// <summary>Reports go out with retransmission but nobody waits for them: the data path never depends on the server.</summary>
    private void Report(SessionOutcome outcome, string? reason, TimeSpan? elapsed = null)
    {
        var path = _paths.Current;
        var report = new ReportRequest(
            TransactionId.NewRandom(), _context.Self, Id, outcome,
            PathKind: path?.Kind,
            RemoteEndPoint: path?.Remote,
            Elapsed: elapsed ?? _paths.Elapsed,
            RoundTripTime: path?.RoundTripTime,
            ChecksSent: _paths.ChecksSent,
            ChecksReceived: _paths.ChecksReceived,
            Reason: reason,
            BytesDirect: _paths.BytesDirect,
            BytesRelayed: _paths.BytesRelayed);
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
        _paths.Stop();
        _pathReady.TrySetResult(false);
        _pingsDone?.TrySetResult(_pings!.Summary());
        _ended.TrySetResult(reason);
        Streams?.OnSessionEnded(reason);
    }

    private void SendFrame(PeerFrameType type, uint sequence, long timestamp, string text = "")
    {
        int length = new PeerFrame(Channel, type, sequence, timestamp, text).WriteTo(_frameBuffer);
        _paths.Send(_frameBuffer.AsSpan(0, length));
    }
}
