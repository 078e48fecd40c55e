using System.Collections.Concurrent;
using System.Net.Sockets;
using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary>
/// The visiting side of <c>punch forward</c>: accepts TCP connections on the listener and turns each
/// into a new stream to the peer, until the stream connection ends or the run is cancelled.
/// </summary>
internal sealed class Forwarder(TcpListener listener, StreamCarrier carrier, IPeerEventSink events)
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);
    private readonly ConcurrentDictionary<Task, bool> _pumps = new();

    /// <summary>Forwards until the connection to the peer ends (returns why) or <paramref name="cancellationToken"/> fires (throws).</summary>
    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                var accept = listener.AcceptSocketAsync(stop.Token).AsTask();
                if (await Task.WhenAny(accept, carrier.Closed) == carrier.Closed)
                {
                    return await carrier.Closed;
                }

                var socket = await accept;
                socket.NoDelay = true;
                string visitor = socket.RemoteEndPoint?.ToString() ?? "?";
                if (carrier.TryOpen() is not { } stream)
                {
                    events.Emit(new WarningEvent($"refused a connection from {visitor}: {carrier.PeerName} allows no more streams at once (or the connection is closing)"));
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Dispose();
                    continue;
                }

                events.Emit(new TunnelEvent(carrier.PeerName, stream.Id, "opened", visitor));
                var pump = PumpAsync(socket, stream, visitor, stop.Token);
                _pumps.TryAdd(pump, true);
                _ = pump.ContinueWith(done => _pumps.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(_pumps.Keys).WaitAsync(StopWait, CancellationToken.None);
            }
            catch (TimeoutException)
            {
                // Pumps end by the cancellation; the wait is only a courtesy.
            }
        }
    }

    private async Task PumpAsync(Socket socket, TunnelStream stream, string visitor, CancellationToken cancellationToken)
    {
        var outcome = await TcpPump.RunAsync(socket, stream, "visitor", cancellationToken);
        events.Emit(new TunnelEvent(carrier.PeerName, stream.Id, outcome.Problem is null ? "closed" : "failed", visitor, outcome.BytesIn, outcome.BytesOut, outcome.Problem));
    }
}
