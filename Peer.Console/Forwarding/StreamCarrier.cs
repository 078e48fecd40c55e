using Punch.Core.Streams;
using Punch.Peer.Hosting;
using Punch.Peer.Sessions;

namespace Punch.Peer.Forwarding;

/// <summary>
/// Drives one <see cref="StreamConnection"/> over a session: datagrams in from the session, datagrams
/// out over whichever path the session has (relay or direct: the connection never knows), timers from
/// the host's timer loop, and events turned into wake-ups of the <see cref="TunnelStream"/>s waiting on
/// them. Everything here runs under the host's lock; applications reach it through <see cref="Run{T}"/>.
/// </summary>
internal sealed class StreamCarrier : IStreamPacketHandler
{
    /// <summary>Datagrams sent per flush at most; the rest leave on the next tick, so one busy connection cannot hold the lock for long.</summary>
    private const int MaxDatagramsPerFlush = 256;

    private readonly PeerSession _session;
    private readonly PeerHost _host;
    private readonly Dictionary<ulong, TunnelStream> _streams = [];
    private readonly byte[] _datagram = new byte[StreamPackets.MaxDatagram];
    private readonly TaskCompletionSource<string?> _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamCarrier(PeerSession session, PeerHost host, StreamRole role, StreamConnectionOptions options, TimeProvider time)
    {
        _session = session;
        _host = host;
        Connection = new StreamConnection(options, role, session.Id.Value, session.Channel, time);
    }

    public StreamConnection Connection { get; }

    /// <summary>A summary for people: packets each way, losses, round trip and congestion window.</summary>
    public string Statistics => $"{Connection.PacketsSent} packets sent, {Connection.PacketsLost} lost, {Connection.PacketsReceived} received, "
        + $"{Connection.PacketsDropped} dropped, smoothed rtt {Connection.SmoothedRtt.TotalMilliseconds:0.###} ms, window {Connection.CongestionWindow} bytes";
    public string PeerName => _session.PeerName;
    public Core.Protocol.SessionId SessionId => _session.Id;

    /// <summary>Called under the lock for each stream the peer opens.</summary>
    public Action<TunnelStream>? StreamOpened { get; init; }

    /// <summary>Completes with null once keys agree, or with the reason the connection failed first.</summary>
    public Task<string?> Established => _established.Task;

    /// <summary>Completes with the reason when the connection is over.</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Runs <paramref name="action"/> on the connection under the host's lock, then sends what it made ready and handles its events.</summary>
    public T Run<T>(Func<StreamConnection, T> action) => _host.Invoke(() =>
    {
        var result = action(Connection);
        Pump();
        return result;
    });

    /// <summary>Opens a stream to the peer; null while the peer's stream limit is reached or the connection is closed.</summary>
    public TunnelStream? TryOpen() => Run(connection =>
    {
        if (!connection.TryOpenStream(out ulong id))
        {
            return null;
        }

        var stream = new TunnelStream(this, id);
        _streams.Add(id, stream);
        return stream;
    });

    public void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        Connection.Receive(datagram);
        Pump();
    }

    public void OnTimer()
    {
        if (Connection.NextTimerDue() is { } due && due <= TimeSpan.Zero)
        {
            Connection.OnTimer();
        }

        Pump();
    }

    public TimeSpan? NextDue() => Connection.NextTimerDue();

    public void OnPathChanged()
    {
        Connection.OnPathChanged();
        Pump();
    }

    public void OnSessionEnded(string reason)
    {
        Connection.Close(StreamErrorCode.Cancelled, reason);
        Pump();
    }

    private void Pump()
    {
        for (int i = 0; i < MaxDatagramsPerFlush; i++)
        {
            int length = Connection.TakeDatagram(_datagram);
            if (length == 0)
            {
                break;
            }

            _session.SendDatagram(_datagram.AsSpan(0, length));
        }

        while (Connection.TryTakeEvent(out var streamEvent))
        {
            Handle(streamEvent);
        }
    }

    private void Handle(StreamEvent streamEvent)
    {
        switch (streamEvent.Kind)
        {
            case StreamEventKind.Established:
                _established.TrySetResult(null);
                break;
            case StreamEventKind.StreamOpened:
                var opened = new TunnelStream(this, streamEvent.StreamId);
                _streams.Add(streamEvent.StreamId, opened);
                StreamOpened?.Invoke(opened);
                break;
            case StreamEventKind.StreamClosed:
                if (_streams.Remove(streamEvent.StreamId, out var closed))
                {
                    closed.OnEvent(streamEvent);
                }

                break;
            case StreamEventKind.Closed:
                string reason = streamEvent.Reason ?? "the connection closed";
                _established.TrySetResult(reason);
                _closed.TrySetResult(reason);
                foreach (var open in _streams.Values)
                {
                    open.OnEvent(streamEvent);
                }

                _streams.Clear();
                break;
            default:
                if (_streams.TryGetValue(streamEvent.StreamId, out var stream))
                {
                    stream.OnEvent(streamEvent);
                }

                break;
        }
    }
}
