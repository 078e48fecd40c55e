namespace Punch.Core.Streams;

/// <summary>
/// The streams of one connection: ids (RFC 9000 §2.1, reduced to bidirectional streams: the opener's
/// are even, the acceptor's odd), limits on how many each side may open, connection-wide flow control
/// (§4.1), the frames that carry data and credit, and what their acknowledgement or loss means.
/// Not thread-safe; <see cref="StreamConnection"/> owns it.
/// </summary>
internal sealed class StreamSet(StreamConnectionOptions options, StreamRole role, Queue<StreamEvent> events)
{
    private readonly Dictionary<ulong, TransportStream> _streams = [];
    private readonly ConnectionFlow _flow = new((ulong)options.ConnectionReceiveWindow);
    private readonly List<TransportStream> _order = [];
    private int _roundRobin;
    private ulong _nextLocalIndex;
    private ulong _peerOpened;
    private ulong _peerMaxStreams = StreamConnectionOptions.InitialMaxStreams;
    private ulong _localMaxStreams = StreamConnectionOptions.InitialMaxStreams;
    private bool _maxStreamsPending;

    public int Count => _streams.Count;

    /// <summary>Raise the streams limit to the configured one at once (it starts at the protocol's initial value).</summary>
    public void Start()
    {
        if ((ulong)options.MaxIncomingStreams != _localMaxStreams)
        {
            _localMaxStreams = (ulong)options.MaxIncomingStreams;
            _maxStreamsPending = true;
        }
    }

    public bool TryOpen(out ulong id)
    {
        id = 0;
        if (_nextLocalIndex >= _peerMaxStreams)
        {
            return false;
        }

        id = (_nextLocalIndex++ << 1) | (role == StreamRole.Acceptor ? 1UL : 0UL);
        Add(id, openedByPeer: false).Send.Announced = false;
        return true;
    }

    public int Write(ulong id, ReadOnlySpan<byte> data) =>
        _streams.TryGetValue(id, out var stream) && !stream.Send.IsClosedForWriting ? stream.Send.Write(data) : -1;

    public StreamReadResult Read(ulong id, Span<byte> destination)
    {
        if (!_streams.TryGetValue(id, out var stream) || stream.Receive.Stopped)
        {
            return new StreamReadResult(StreamReadStatus.Gone, 0);
        }

        var receive = stream.Receive;
        if (receive.Reset is not null)
        {
            return new StreamReadResult(StreamReadStatus.Reset, 0);
        }

        int count = receive.Read(destination);
        _flow.Consume((ulong)count);
        var status = receive.FinRead ? StreamReadStatus.Finished : count > 0 ? StreamReadStatus.Data : StreamReadStatus.Empty;
        RetireIfDone(stream);
        return new StreamReadResult(status, count);
    }

    public void Finish(ulong id)
    {
        if (_streams.TryGetValue(id, out var stream) && stream.Send.Reset is null)
        {
            stream.Send.Finish();
        }
    }

    /// <summary>Abandons both directions: RESET_STREAM for ours, STOP_SENDING for theirs.</summary>
    public void Reset(ulong id, StreamErrorCode code, string reason)
    {
        if (!_streams.TryGetValue(id, out var stream))
        {
            return;
        }

        if (stream.Send.Reset is null && !stream.Send.FinAcked)
        {
            stream.Send.StartReset(code, reason);
        }

        if (!stream.Receive.IsDone)
        {
            _flow.Consume(stream.Receive.Stop());
        }

        RetireIfDone(stream);
    }

    public bool HasWork =>
        _flow.CreditPending || _maxStreamsPending || _order.Exists(stream => stream.HasControl || stream.Send.HasSomethingToSend(_flow.Credit > 0));

    public StreamErrorCode? OnStream(ulong streamId, ulong offset, ReadOnlySpan<byte> data, bool fin)
    {
        var problem = Find(streamId, out var stream);
        if (stream is null)
        {
            return problem;
        }

        var error = stream.Receive.OnData(offset, data, fin, out ulong growth);
        if (error is not null)
        {
            return error;
        }

        if (!_flow.OnReceived(growth))
        {
            return StreamErrorCode.FlowControl;
        }

        if (stream.Receive.Stopped)
        {
            _flow.Consume(growth);
        }
        else if ((stream.Receive.Readable > 0 || stream.Receive.FinReadable) && !stream.Receive.ReadableSignalled)
        {
            stream.Receive.ReadableSignalled = true;
            events.Enqueue(new StreamEvent(StreamEventKind.Readable, stream.Id));
        }

        return null;
    }

    public StreamErrorCode? OnReset(in ResetStreamFrame frame)
    {
        var problem = Find(frame.StreamId, out var stream);
        if (stream is null || stream.Receive.Reset is not null)
        {
            return problem;
        }

        if (stream.Receive.FinalSize is { } size && size != frame.FinalSize)
        {
            return StreamErrorCode.FinalSize;
        }

        bool wasStopped = stream.Receive.Stopped;
        _flow.Consume(stream.Receive.OnReset(frame, out ulong growth));
        _flow.OnReceived(growth);
        if (!wasStopped)
        {
            events.Enqueue(new StreamEvent(StreamEventKind.Reset, stream.Id, frame.Code, frame.Reason));
        }

        RetireIfDone(stream);
        return null;
    }

    public StreamErrorCode? OnStopSending(in StopSendingFrame frame)
    {
        var problem = Find(frame.StreamId, out var stream);
        if (stream is null)
        {
            return problem;
        }

        if (stream.Send.Reset is null && !stream.Send.FinAcked)
        {
            stream.Send.StartReset(frame.Code, "the peer stopped reading");
            if (!stream.Receive.IsDone)
            {
                events.Enqueue(new StreamEvent(StreamEventKind.Stopped, stream.Id, frame.Code));
            }
        }

        return null;
    }

    public StreamErrorCode? OnCredit(in CreditFrame frame)
    {
        switch (frame.Type)
        {
            case StreamFrameType.MaxData:
                _flow.OnPeerLimit(frame.Maximum);
                return null;
            case StreamFrameType.MaxStreams:
                _peerMaxStreams = Math.Max(_peerMaxStreams, Math.Min(frame.Maximum, 1UL << 60));
                return null;
            default:
                var problem = Find(frame.StreamId, out var stream);
                stream?.Send.RaiseLimit(frame.Maximum);
                return problem;
        }
    }

    /// <summary>Writes credit, reset and stop frames, then stream data round-robin, into <paramref name="packet"/> from <paramref name="position"/>.</summary>
    public void WriteFrames(Span<byte> packet, ref int position, List<SentFrame> sent)
    {
        if (_flow.CreditPending && FramePacking.TryPut(packet, ref position, CreditFrame.MaxData(_flow.Limit)))
        {
            _flow.CreditPending = false;
            sent.Add(new SentFrame(SentFrameKind.MaxData));
        }

        if (_maxStreamsPending && FramePacking.TryPut(packet, ref position, CreditFrame.MaxStreams(_localMaxStreams)))
        {
            _maxStreamsPending = false;
            sent.Add(new SentFrame(SentFrameKind.MaxStreams));
        }

        for (int i = 0; i < _order.Count && packet.Length - position >= FramePacking.MinFrameRoom; i++)
        {
            FramePacking.WriteControl(_order[i], packet, ref position, sent);
        }

        for (int visited = 0; visited < _order.Count && packet.Length - position >= FramePacking.MinFrameRoom; visited++)
        {
            var stream = _order[(_roundRobin + visited) % _order.Count];
            if (FramePacking.WriteData(stream, _flow, packet, ref position, sent))
            {
                // The next packet starts with the stream after this one, so every stream gets its turn.
                _roundRobin = (_roundRobin + visited + 1) % _order.Count;
                break;
            }
        }
    }

    public void OnAcked(in SentFrame frame)
    {
        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return;
        }

        if (frame.Kind == SentFrameKind.Stream)
        {
            stream.Send.OnAcked(frame.Offset, frame.Length, frame.Fin);
            if (stream.Send.WriteBlocked && stream.Send.Free > 0 && !stream.Send.IsClosedForWriting)
            {
                stream.Send.WriteBlocked = false;
                events.Enqueue(new StreamEvent(StreamEventKind.Writable, stream.Id));
            }
        }
        else if (frame.Kind == SentFrameKind.ResetStream)
        {
            stream.Send.OnResetAcked();
        }

        RetireIfDone(stream);
    }

    public void OnLost(in SentFrame frame)
    {
        switch (frame.Kind)
        {
            case SentFrameKind.MaxData:
                _flow.CreditPending = true;
                return;
            case SentFrameKind.MaxStreams:
                _maxStreamsPending = true;
                return;
        }

        if (!_streams.TryGetValue(frame.StreamId, out var stream))
        {
            return;
        }

        switch (frame.Kind)
        {
            case SentFrameKind.Stream:
                stream.Send.OnLost(frame.Offset, frame.Length, frame.Fin);
                break;
            case SentFrameKind.ResetStream when !stream.Send.ResetAcked:
                stream.Send.ResetPending = true;
                break;
            case SentFrameKind.StopSending when stream.Receive.Reset is null && !stream.Receive.FinRead:
                stream.Receive.StopPending = true;
                break;
            case SentFrameKind.MaxStreamData when !stream.Receive.IsDone && stream.Receive.FinalSize is null:
                stream.Receive.CreditPending = true;
                break;
        }
    }

    /// <summary>The stream a peer's frame names: existing, opened now (peer streams open implicitly in order), or null when it is over (then the frame is ignored) or never allowed (then an error).</summary>
    private StreamErrorCode? Find(ulong id, out TransportStream? stream)
    {
        if (_streams.TryGetValue(id, out stream))
        {
            return null;
        }

        ulong index = id >> 1;
        bool local = (id & 1) == (role == StreamRole.Acceptor ? 1UL : 0UL);
        if (local)
        {
            return index < _nextLocalIndex ? null : StreamErrorCode.StreamState;
        }

        if (index < _peerOpened)
        {
            return null;
        }

        if (index >= _localMaxStreams)
        {
            return StreamErrorCode.StreamLimit;
        }

        while (_peerOpened <= index)
        {
            ulong opened = (_peerOpened++ << 1) | (role == StreamRole.Acceptor ? 0UL : 1UL);
            stream = Add(opened, openedByPeer: true);
            events.Enqueue(new StreamEvent(StreamEventKind.StreamOpened, opened));
        }

        return null;
    }

    private TransportStream Add(ulong id, bool openedByPeer)
    {
        var stream = new TransportStream(
            id, openedByPeer,
            new SendHalf(options.StreamSendBuffer, StreamConnectionOptions.InitialStreamWindow),
            new ReceiveHalf(options.StreamReceiveWindow, StreamConnectionOptions.InitialStreamWindow));
        _streams.Add(id, stream);
        _order.Add(stream);
        return stream;
    }

    private void RetireIfDone(TransportStream stream)
    {
        if (!stream.Send.IsDone || !stream.Receive.IsDone || stream.HasControl)
        {
            return;
        }

        _streams.Remove(stream.Id);
        int index = _order.IndexOf(stream);
        _order.RemoveAt(index);
        if (_roundRobin > index)
        {
            _roundRobin--;
        }

        if (_order.Count > 0)
        {
            _roundRobin %= _order.Count;
        }
        else
        {
            _roundRobin = 0;
        }

        if (stream.OpenedByPeer)
        {
            _localMaxStreams++;
            _maxStreamsPending = true;
        }

        events.Enqueue(new StreamEvent(StreamEventKind.StreamClosed, stream.Id));
    }
}
