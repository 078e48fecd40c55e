using System.Net.Sockets;
using Punch.Core.Streams;

namespace Punch.Peer.Forwarding;

/// <summary>
/// Moves bytes both ways between a TCP socket and a stream until both directions are done. A TCP FIN
/// becomes the stream's FIN and the stream's FIN a TCP half-close (shutdown of sending), so
/// request/response protocols that half-close work; a TCP error resets the stream with the reason,
/// and a stream reset aborts the TCP connection (an RST, so the application sees a failure, not a
/// clean end).
/// </summary>
internal static class TcpPump
{
    private const int BufferSize = 32 * 1024;

    public static async Task<PumpOutcome> RunAsync(Socket socket, TunnelStream stream, string side, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? problem = null;

        // The first problem wins; a broken TCP side resets the stream (the stream's own break needs no reset), and the other direction stops.
        async Task BreakAsync(Exception error)
        {
            if (error is SocketException socketError)
            {
                problem ??= $"the TCP connection on the {side} side broke: {socketError.Message}";
                stream.Reset(StreamErrorCode.Aborted, problem);
            }
            else
            {
                problem ??= error.Message;
            }

            await stop.CancelAsync();
        }

        async Task TcpToStream()
        {
            var buffer = new byte[BufferSize];
            try
            {
                while (true)
                {
                    int read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop.Token);
                    if (read == 0)
                    {
                        stream.Finish();
                        return;
                    }

                    await stream.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or TunnelBrokenException)
            {
                await BreakAsync(e);
            }
        }

        async Task StreamToTcp()
        {
            var buffer = new byte[BufferSize];
            try
            {
                while (true)
                {
                    int read = await stream.ReadAsync(buffer, stop.Token);
                    if (read == 0)
                    {
                        socket.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    await socket.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop.Token);
                }
            }
            catch (Exception e) when (e is SocketException or TunnelBrokenException)
            {
                await BreakAsync(e);
            }
        }

        try
        {
            await Task.WhenAll(Task.Run(TcpToStream, CancellationToken.None), Task.Run(StreamToTcp, CancellationToken.None));
        }
        catch (OperationCanceledException)
        {
            // One direction broke (problem says why) or the run is stopping.
            if (problem is null && cancellationToken.IsCancellationRequested)
            {
                problem = $"the {side} side is shutting down";
                stream.Reset(StreamErrorCode.Cancelled, problem);
            }
        }
        finally
        {
            if (problem is not null)
            {
                // An RST rather than a FIN: the application must see the failure.
                socket.LingerState = new LingerOption(true, 0);
            }

            socket.Dispose();
        }

        return new PumpOutcome(stream.BytesIn, stream.BytesOut, problem);
    }
}
