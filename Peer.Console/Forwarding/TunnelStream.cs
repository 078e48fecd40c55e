using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

/// <summary>
/// One stream as async reads and writes for a pump: a read waits for the Readable event, a write that
/// comes back short waits for Writable, so a slow reader on either side holds back only its own stream
/// (per-stream flow control does the rest). Calls go through the carrier, under the host's lock.
/// </summary>
internal sealed class TunnelStream(StreamCarrier carrier, ulong id)
{
    private TaskCompletionSource _readable = NewSignal();
    private TaskCompletionSource _writable = NewSignal();
    private bool _finished;

    public ulong Id { get; } = id;
    public long BytesIn { get; private set; }
    public long BytesOut { get; private set; }

    /// <summary>Why the stream broke (the peer's reset reason, or the connection's close reason); null while it has not.</summary>
    public string? BrokenReason { get; private set; }
    private StreamErrorCode _brokenCode;

    /// <summary>Reads what is there (waiting for something); 0 at the end of the stream. Throws <see cref="TunnelBrokenException"/> when the peer reset it.</summary>
    public async Task<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (!_finished)
        {
            var (result, signal) = carrier.Run(connection =>
            {
                var read = connection.Read(Id, buffer.Span);
                if (read.Status == StreamReadStatus.Empty)
                {
                    _readable = NewSignal();
                }

                return (read, _readable.Task);
            });

            switch (result.Status)
            {
                case StreamReadStatus.Data:
                    BytesIn += result.Bytes;
                    return result.Bytes;
                case StreamReadStatus.Finished:
                    _finished = true;
                    BytesIn += result.Bytes;
                    return result.Bytes;
                case StreamReadStatus.Empty when BrokenReason is null:
                    await signal.WaitAsync(cancellationToken);
                    break;
                default:
                    throw Broken();
            }
        }

        return 0;
    }

    /// <summary>Writes everything, waiting while the stream's buffer is full. Throws <see cref="TunnelBrokenException"/> when the stream can no longer be written.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var (accepted, signal) = carrier.Run(connection =>
            {
                int written = connection.Write(Id, data.Span);
                if (written == 0)
                {
                    _writable = NewSignal();
                }

                return (written, _writable.Task);
            });

            if (accepted < 0 || BrokenReason is not null)
            {
                throw Broken();
            }

            BytesOut += accepted;
            data = data[accepted..];
            if (accepted == 0)
            {
                await signal.WaitAsync(cancellationToken);
            }
        }
    }

    /// <summary>Our side is done (the TCP peer half-closed): the other end reads to the end and sees the stream finished.</summary>
    public void Finish() => carrier.Run(connection =>
    {
        connection.Finish(Id);
        return true;
    });

    public void Reset(StreamErrorCode code, string reason) => carrier.Run(connection =>
    {
        connection.ResetStream(Id, code, reason);
        return true;
    });

    /// <summary>Under the lock: an event for this stream (or the connection's end).</summary>
    public void OnEvent(StreamEvent streamEvent)
    {
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Readable:
                _readable.TrySetResult();
                return;
            case StreamEventKind.Writable:
                _writable.TrySetResult();
                return;
            case StreamEventKind.Reset:
                BrokenReason ??= streamEvent.Reason is { Length: > 0 } reason ? reason : $"{carrier.PeerName} reset the stream ({streamEvent.Code})";
                _brokenCode = streamEvent.Code;
                break;
            case StreamEventKind.Stopped:
                BrokenReason ??= $"{carrier.PeerName} stopped reading ({streamEvent.Code})";
                _brokenCode = streamEvent.Code;
                break;
            case StreamEventKind.Closed:
                BrokenReason ??= $"the connection to {carrier.PeerName} ended: {streamEvent.Reason}";
                _brokenCode = streamEvent.Code;
                break;
            case StreamEventKind.StreamClosed:
                break;
        }

        _readable.TrySetResult();
        _writable.TrySetResult();
    }

    private TunnelBrokenException Broken() =>
        new(BrokenReason ?? $"the stream to {carrier.PeerName} is gone", _brokenCode);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
