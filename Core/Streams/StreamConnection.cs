namespace Punch.Core.Streams;

/// <summary>
/// One end of a stream connection (docs/stream-protocol.md): a small QUIC-like transport over a
/// session's datagrams. Pure: the driver feeds datagrams in (<see cref="Receive"/>), takes datagrams
/// out (<see cref="TakeDatagram"/>) and calls <see cref="OnTimer"/> when <see cref="NextTimerDue"/>
/// says; time comes from the <see cref="TimeProvider"/>. Not thread-safe.
/// </summary>
public sealed class StreamConnection : IDisposable, ILossListener
{
    private const int CloseReplies = 3;


    private readonly StreamConnectionOptions _options;
    private readonly StreamRole _role;
    private readonly ulong _sessionId;
    private readonly ushort _channel;
    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private readonly Handshake _handshake;
    private readonly PacketProtection _protection;
    private readonly LossRecovery _recovery;
    private readonly StreamSet _streams;
    private readonly Queue<StreamEvent> _events = new();
    private readonly AckTracker _acks;
    private readonly byte[] _plaintext = new byte[StreamPackets.MaxDatagram];
    private ulong _nextPacketNumber;
    private bool _pingPending;
    private TimeSpan _lastReceived;
    private TimeSpan _lastElicitingSent;
    private bool _closeFramePending;
    private int _closeRepliesLeft = CloseReplies;

    public StreamConnection(StreamConnectionOptions options, StreamRole role, ulong sessionId, ushort channel, TimeProvider time)
    {
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _role = role;
        _sessionId = sessionId;
        _channel = channel;
        _time = time;
        _startedAt = time.GetTimestamp();
        _recovery = new LossRecovery(options.MaxAckDelay, this);
        _acks = new AckTracker(options.MaxAckDelay);
        _handshake = new Handshake(role, channel, sessionId, options.Secret);
        _protection = _handshake.Protection;
        _streams = new StreamSet(options, role, _events);
    }

    public StreamConnectionState State { get; private set; }
    public StreamErrorCode? CloseCode { get; private set; }
    public string? CloseReason { get; private set; }
    public bool ClosedByPeer { get; private set; }
    public int StreamCount => _streams.Count;
    public long PacketsSent { get; private set; }
    public long PacketsReceived { get; private set; }
    public long PacketsLost => _recovery.PacketsLost;

    /// <summary>Datagrams refused: malformed, duplicated or replayed, failing authentication, for another channel.</summary>
    public long PacketsDropped { get; private set; }

    public long CongestionWindow => _recovery.Congestion.Window;
    public TimeSpan SmoothedRtt => _recovery.Rtt.Smoothed;

    private TimeSpan Now => _time.GetElapsedTime(_startedAt);
    public bool TryTakeEvent(out StreamEvent streamEvent) => _events.TryDequeue(out streamEvent);

    /// <summary>Opens a stream of ours; false while the peer's stream limit is reached or the connection is closed.</summary>
    public bool TryOpenStream(out ulong streamId)
    {
        streamId = 0;
        return State != StreamConnectionState.Closed && _streams.TryOpen(out streamId);
    }

    /// <summary>Buffers what fits of <paramref name="data"/>: the count accepted (short: wait for Writable), or -1 when the stream can no longer be written.</summary>
    public int Write(ulong streamId, ReadOnlySpan<byte> data) => State == StreamConnectionState.Closed ? -1 : _streams.Write(streamId, data);

    public StreamReadResult Read(ulong streamId, Span<byte> destination) =>
        State == StreamConnectionState.Closed ? new StreamReadResult(StreamReadStatus.Gone, 0) : _streams.Read(streamId, destination);

    /// <summary>No more writes: the peer reads to the end, then sees the stream finished (a TCP half-close).</summary>
    public void Finish(ulong streamId) => _streams.Finish(streamId);

    /// <summary>Abandons the stream both ways; the peer gets <paramref name="code"/> and <paramref name="reason"/>.</summary>
    public void ResetStream(ulong streamId, StreamErrorCode code, string reason) => _streams.Reset(streamId, code, reason);

    /// <summary>Ends the connection: one CLOSE frame tells the peer why (repeated if the peer keeps sending).</summary>
    public void Close(StreamErrorCode code, string reason)
    {
        if (State == StreamConnectionState.Closed)
        {
            return;
        }

        _closeFramePending = _protection.HasKeys;
        EndWith(code, reason, byPeer: false);
    }

    /// <summary>The datagrams now travel another way (the session switched between relay and direct): probe the new path at once.</summary>
    public void OnPathChanged()
    {
        if (State == StreamConnectionState.Established)
        {
            _recovery.OnPathChanged();
        }
    }

    public bool Receive(ReadOnlySpan<byte> datagram)
    {
        bool accepted = HelloPacket.TryRead(datagram, out var hello) ? OnHello(hello)
            : ProtectedHeader.TryRead(datagram, out var header) && header.Channel == _channel && OnProtected(datagram, header);
        if (!accepted)
        {
            PacketsDropped++;
        }

        return accepted;
    }

    /// <summary>Writes the next datagram to send into <paramref name="destination"/> (at least <see cref="StreamPackets.MaxDatagram"/> bytes); 0 when nothing may go now.</summary>
    public int TakeDatagram(Span<byte> destination)
    {
        var now = Now;
        if (State == StreamConnectionState.Closed)
        {
            if (!_closeFramePending)
            {
                return 0;
            }

            _closeFramePending = false;
            int closeLength = 0;
            closeLength += new CloseFrame(CloseCode ?? StreamErrorCode.NoError, CloseReason ?? string.Empty).WriteTo(_plaintext);
            return Seal(destination, closeLength, [], now);
        }

        if (State == StreamConnectionState.Handshaking && _handshake.HelloDue <= now)
        {
            return _handshake.WriteHello(destination, now);
        }

        if (!_protection.HasKeys)
        {
            return 0;
        }

        bool mayElicit = MayElicit(now);
        bool ackDue = _acks.IsDue(now);
        bool elicit = mayElicit && (_pingPending || _recovery.PingNeeded || _streams.HasWork);
        if (!ackDue && !elicit)
        {
            return 0;
        }

        var plaintext = _plaintext.AsSpan(0, StreamPackets.MaxDatagram - ProtectedHeader.Length - ProtectedHeader.TagLength);
        int position = 0;
        if (_acks.Pending)
        {
            position += _acks.Take(now).WriteTo(plaintext);
        }

        var sent = new List<SentFrame>();
        if (elicit)
        {
            if (_pingPending || _recovery.PingNeeded)
            {
                position += new PingFrame().WriteTo(plaintext[position..]);
                sent.Add(new SentFrame(SentFrameKind.Ping));
                _pingPending = _recovery.PingNeeded = false;
            }

            _streams.WriteFrames(plaintext, ref position, sent);
        }

        if (sent.Count > 0)
        {
            _lastElicitingSent = now;
        }

        return Seal(destination, position, sent, now);
    }

    /// <summary>How long until <see cref="OnTimer"/> (or <see cref="TakeDatagram"/>) has work; zero for now, null for nothing scheduled.</summary>
    public TimeSpan? NextTimerDue()
    {
        var now = Now;
        TimeSpan? due;
        if (State == StreamConnectionState.Closed)
        {
            return _closeFramePending ? TimeSpan.Zero : null;
        }

        if (State == StreamConnectionState.Handshaking)
        {
            due = Earliest(_handshake.HelloDue, _options.HandshakeTimeout);
        }
        else
        {
            due = Earliest(_lastReceived + _options.IdleTimeout, _lastElicitingSent + _options.KeepaliveInterval);
        }

        if (_acks.DueAt(now) is { } ackDue)
        {
            due = Earliest(due, ackDue);
        }

        if (_recovery.TimerDue() is { } lossDue)
        {
            due = Earliest(due, lossDue);
        }

        if (_protection.HasKeys && (_pingPending || _recovery.PingNeeded || _streams.HasWork) && CongestionAllows())
        {
            due = Earliest(due, now + _recovery.Congestion.PacingDelay(now, _recovery.Rtt));
        }

        return due is { } at ? (at > now ? at - now : TimeSpan.Zero) : null;
    }

    public void OnTimer()
    {
        var now = Now;
        switch (State)
        {
            case StreamConnectionState.Closed:
                return;
            case StreamConnectionState.Handshaking when now >= _options.HandshakeTimeout:
                Close(StreamErrorCode.Handshake, _protection.HasKeys
                    ? $"the peer's packets never authenticated within {_options.HandshakeTimeout.TotalSeconds:0.#} s"
                    : $"no handshake from the peer within {_options.HandshakeTimeout.TotalSeconds:0.#} s (is it running punch expose/forward?)");
                return;
            case StreamConnectionState.Established when now >= _lastReceived + _options.IdleTimeout:
                Close(StreamErrorCode.IdleTimeout, $"no packet from the peer for {_options.IdleTimeout.TotalSeconds:0.#} s");
                return;
            case StreamConnectionState.Established when now >= _lastElicitingSent + _options.KeepaliveInterval:
                _pingPending = true;
                break;
        }

        _recovery.OnTimer(now);
    }

    public void Dispose() => _handshake.Dispose();

    void ILossListener.OnFrameAcked(in SentFrame frame) => _streams.OnAcked(frame);

    void ILossListener.OnFrameLost(in SentFrame frame)
    {
        if (frame.Kind == SentFrameKind.Ping)
        {
            return; // A lost ping needs no copy: the probe timer sends a fresh one if nothing else is acknowledged.
        }

        _streams.OnLost(frame);
    }

    private bool OnHello(in HelloPacket hello)
    {
        if (State == StreamConnectionState.Closed)
        {
            return false;
        }

        switch (_handshake.OnHello(hello, out string? failure))
        {
            case HelloOutcome.Repeated:
                // The peer has not read our packets yet: our hello may have been lost.
                if (State == StreamConnectionState.Handshaking)
                {
                    _handshake.RepeatHello(Now);
                }

                _pingPending = true;
                return true;
            case HelloOutcome.Failed:
                Close(StreamErrorCode.Handshake, failure!);
                return true;
            case HelloOutcome.Agreed:
                _streams.Start();
                _handshake.RepeatHello(Now);
                _pingPending = true;
                return true;
            default:
                return false;
        }
    }

    private bool OnProtected(ReadOnlySpan<byte> datagram, in ProtectedHeader header)
    {
        if (!_protection.HasKeys)
        {
            return false;
        }

        ulong number = header.PacketNumber;
        if (_acks.WasReceived(number))
        {
            return false; // Duplicated or replayed.
        }

        var sealedPayload = datagram.Slice(ProtectedHeader.Length, header.SealedLength);
        if (!_protection.TryOpen(number, datagram[..ProtectedHeader.Length], sealedPayload, _plaintext))
        {
            if (State == StreamConnectionState.Handshaking && _handshake.OnAuthenticationFailure())
            {
                Close(StreamErrorCode.Handshake,
                    "handshake failed: the peer's packets do not authenticate under the agreed keys: the two sides' --secret differ (or something on the path altered the handshake)");
            }

            return false;
        }

        if (State == StreamConnectionState.Closed)
        {
            _closeFramePending = _closeRepliesLeft-- > 0;
            return true;
        }

        var now = Now;
        PacketsReceived++;
        _lastReceived = now;
        if (State == StreamConnectionState.Handshaking)
        {
            State = StreamConnectionState.Established;
            _lastElicitingSent = now;
            _events.Enqueue(new StreamEvent(StreamEventKind.Established));
        }

        bool carriedOn = TryHandleFrames(_plaintext.AsSpan(0, header.SealedLength - ProtectedHeader.TagLength), now, out bool elicits);
        if (carriedOn)
        {
            _acks.OnReceived(number, elicits, now, _recovery.Rtt);
        }

        return true;
    }

    private bool TryHandleFrames(ReadOnlySpan<byte> frames, TimeSpan now, out bool elicits)
    {
        elicits = false;
        int position = 0;
        while (position < frames.Length && State != StreamConnectionState.Closed)
        {
            var rest = frames[position..];
            int consumed;
            StreamErrorCode? error = null;
            switch ((StreamFrameType)rest[0])
            {
                case StreamFrameType.Ping when PingFrame.TryRead(rest, out _, out consumed):
                    break;
                case StreamFrameType.Ack when AckFrame.TryRead(rest, out var ack, out consumed):
                    if (ack.Largest >= _nextPacketNumber)
                    {
                        error = StreamErrorCode.ProtocolViolation;
                        break;
                    }

                    _recovery.OnAck(ack, now);
                    break;
                case StreamFrameType.Stream or StreamFrameType.StreamFin when StreamFrame.TryReadInPlace(rest, out var data, out consumed):
                    error = _streams.OnStream(data.StreamId, data.Offset, rest.Slice(data.DataStart, data.DataLength), data.Fin);
                    break;
                case StreamFrameType.ResetStream when ResetStreamFrame.TryRead(rest, out var reset, out consumed):
                    error = _streams.OnReset(reset);
                    break;
                case StreamFrameType.StopSending when StopSendingFrame.TryRead(rest, out var stop, out consumed):
                    error = _streams.OnStopSending(stop);
                    break;
                case StreamFrameType.MaxData or StreamFrameType.MaxStreamData or StreamFrameType.MaxStreams when CreditFrame.TryRead(rest, out var credit, out consumed):
                    error = _streams.OnCredit(credit);
                    break;
                case StreamFrameType.Close when CloseFrame.TryRead(rest, out var close, out consumed):
                    EndWith(close.Code, close.Reason.Length > 0 ? close.Reason : $"the peer closed the connection ({close.Code})", byPeer: true);
                    return false;
                default:
                    Close(StreamErrorCode.FrameEncoding, $"the peer sent a malformed frame (type 0x{rest[0]:x2})");
                    return false;
            }

            elicits |= rest[0] != (byte)StreamFrameType.Ack;
            if (error is { } code)
            {
                Close(code, $"the peer broke the protocol ({code})");
                return false;
            }

            position += consumed;
        }

        return State != StreamConnectionState.Closed;
    }

    private int Seal(Span<byte> destination, int plaintextLength, List<SentFrame> sent, TimeSpan now)
    {
        ulong number = _nextPacketNumber++;
        int sealedLength = plaintextLength + ProtectedHeader.TagLength;
        int headerLength = new ProtectedHeader(_channel, number, sealedLength).WriteTo(destination);
        int length = headerLength + _protection.Seal(number, destination[..headerLength], _plaintext.AsSpan(0, plaintextLength), destination[headerLength..]);
        PacketsSent++;
        _recovery.OnSent(number, now, length, sent);
        return length;
    }

    private bool CongestionAllows() => _recovery.ProbesAllowed > 0 || _recovery.Congestion.CanSend(StreamPackets.MaxDatagram);

    private bool MayElicit(TimeSpan now) =>
        _recovery.ProbesAllowed > 0 || (CongestionAllows() && _recovery.Congestion.PacingDelay(now, _recovery.Rtt) == TimeSpan.Zero);

    private void EndWith(StreamErrorCode code, string reason, bool byPeer)
    {
        State = StreamConnectionState.Closed;
        CloseCode = code;
        CloseReason = reason;
        ClosedByPeer = byPeer;
        _events.Enqueue(new StreamEvent(StreamEventKind.Closed, 0, code, reason));
    }

    private static TimeSpan Earliest(TimeSpan? a, TimeSpan b) => a is { } value && value < b ? value : b;
}
