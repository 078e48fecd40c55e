using System.Collections.Concurrent;
using System.Net.Sockets;
using Punch.Core.Streams;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Sessions;

namespace Punch.Peer.Forwarding;

/// <summary>
/// The serving side of <c>punch expose</c>: every session gets a stream connection (as acceptor), and
/// every stream the peer opens becomes a TCP connection to the local service, pumped both ways. A
/// refused or unreachable service resets the stream with a reason the visitor sees.
/// </summary>
internal sealed class ExposeService(PeerHost host, IPeerEventSink events, ExposeSettings settings, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _running = new();

    /// <summary>Called under the host's lock when a session starts, before its first datagram.</summary>
    public void Attach(PeerSession session)
    {
        StreamCarrier? carrier = null;
        carrier = new StreamCarrier(session, host, StreamRole.Acceptor, settings.Streams, time)
        {
            StreamOpened = stream => Track(ServeAsync(carrier!, stream)),
        };
        session.Streams = carrier;
        Track(ReportAsync(carrier));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(StopWait);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // Pumps end by the cancellation; the wait is only a courtesy.
        }

        _stop.Dispose();
    }

    private async Task ReportAsync(StreamCarrier carrier)
    {
        string? failure = await carrier.Established;
        if (failure is null)
        {
            events.Emit(new StreamsUpEvent(carrier.PeerName, carrier.SessionId));
            failure = await carrier.Closed;
            events.Emit(new ClosedEvent($"stream connection closed: {failure} ({carrier.Statistics})", carrier.PeerName));
        }
        else
        {
            events.Emit(new FailedEvent($"no stream connection with {carrier.PeerName}: {failure}", carrier.PeerName));
        }
    }

    private async Task ServeAsync(StreamCarrier carrier, TunnelStream stream)
    {
        await Task.Yield(); // Off the host's lock: StreamOpened is called under it.
        string local = settings.Local.ToString();
        var socket = new Socket(settings.Local.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(settings.ConnectTimeout);
            await socket.ConnectAsync(settings.Local, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            string reason = e switch
            {
                SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"{local} refused the connection (is the service running?)",
                SocketException socketError => $"cannot connect to {local}: {socketError.Message}",
                _ when _stop.IsCancellationRequested => "the exposing side is shutting down",
                _ => $"{local} did not accept the connection within {settings.ConnectTimeout.TotalSeconds:0.#} s",
            };
            stream.Reset(StreamErrorCode.Refused, reason);
            events.Emit(new TunnelEvent(carrier.PeerName, stream.Id, "failed", local, Reason: reason));
            return;
        }

        events.Emit(new TunnelEvent(carrier.PeerName, stream.Id, "opened", local));
        var outcome = await TcpPump.RunAsync(socket, stream, "service", _stop.Token);
        events.Emit(new TunnelEvent(carrier.PeerName, stream.Id, outcome.Problem is null ? "closed" : "failed", local, outcome.BytesIn, outcome.BytesOut, outcome.Problem));
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, true);
        task.ContinueWith(done => _running.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
