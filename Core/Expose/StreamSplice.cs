namespace Punch.Core.Expose;

/// <summary>
/// Copies bytes both ways between two connections until both directions ended. Each direction has
/// one buffer and writes before it reads again, so a slow reader holds back only its own sender
/// (TCP flow control does the rest) and nothing else waits on it. An end of stream in one direction
/// is passed on as a half-close, so a request/response protocol still gets its answer; an error in
/// either direction ends both.
/// </summary>
public static class StreamSplice
{
    public const int BufferSize = 64 * 1024;

    /// <param name="progress">Called after each chunk with the direction (true: A to B) and its size; used for live counters.</param>
    public static async Task<SpliceResult> RunAsync(SpliceEnd a, SpliceEnd b, Action<bool, int>? progress, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var aToB = PumpAsync(a, b, aToB: true, progress, failed);
        var bToA = PumpAsync(b, a, aToB: false, progress, failed);
        var (bytesAToB, endingAToB) = await aToB.ConfigureAwait(false);
        var (bytesBToA, endingBToA) = await bToA.ConfigureAwait(false);
        string ending = endingAToB ?? endingBToA ?? "closed by both sides";
        return new SpliceResult(bytesAToB, bytesBToA, ending);
    }

    /// <returns>Bytes copied, and why the splice ended early (null for a clean end of stream).</returns>
    private static async Task<(long Bytes, string? Ending)> PumpAsync(SpliceEnd from, SpliceEnd to, bool aToB, Action<bool, int>? progress, CancellationTokenSource failed)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        try
        {
            while (true)
            {
                int read = await from.Stream.ReadAsync(buffer.AsMemory(0, BufferSize), failed.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    TryShutdown(to);
                    return (total, null);
                }

                await to.Stream.WriteAsync(buffer.AsMemory(0, read), failed.Token).ConfigureAwait(false);
                total += read;
                progress?.Invoke(aToB, read);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            bool first = !failed.IsCancellationRequested;
            await failed.CancelAsync().ConfigureAwait(false);
            return (total, first ? $"{from.Name} → {to.Name} ended: {Describe(ex)}" : null);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void TryShutdown(SpliceEnd end)
    {
        try
        {
            end.ShutdownSend();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            // Already gone: the other direction will notice on its own.
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "cancelled",
        IOException { InnerException: System.Net.Sockets.SocketException socket } => socket.SocketErrorCode.ToString(),
        System.Net.Sockets.SocketException socket => socket.SocketErrorCode.ToString(),
        _ => ex.Message,
    };
}
