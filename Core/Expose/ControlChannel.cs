namespace Punch.Core.Expose;

/// <summary>
/// The expose control connection as both ends use it: STUN messages over a stream, one writer at a
/// time (keepalives, Open and OpenFailed come from different tasks), and reads and writes bounded in
/// time so a silent or stuck other side is noticed instead of waited on forever.
/// </summary>
public sealed class ControlChannel(Stream stream, TimeSpan timeout) : IDisposable
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly byte[] _readBuffer = new byte[StunStream.MaxMessageLength];

    /// <summary>How long a read may wait for a message and a write may wait to be taken; may change once the other side said its keepalive interval.</summary>
    public TimeSpan Timeout { get; set; } = timeout;

    /// <summary>Writes one message; a write stuck longer than the timeout (the other side stopped reading) fails.</summary>
    /// <exception cref="TimeoutException">The write did not complete within the timeout.</exception>
    public async Task SendAsync(MessageWriter write, CancellationToken cancellationToken)
    {
        using var slow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        slow.CancelAfter(Timeout);
        try
        {
            await _writeGate.WaitAsync(slow.Token).ConfigureAwait(false);
            try
            {
                await StunStream.WriteMessageAsync(stream, write, slow.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeGate.Release();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the other side did not take a control message for {Timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>The next message (valid until the next read), or an empty span's length 0 when the other side closed.</summary>
    /// <exception cref="TimeoutException">Nothing arrived within the timeout.</exception>
    /// <exception cref="InvalidDataException">The bytes are not STUN messages.</exception>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(CancellationToken cancellationToken)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        quiet.CancelAfter(Timeout);
        try
        {
            int length = await StunStream.ReadMessageAsync(stream, _readBuffer, quiet.Token).ConfigureAwait(false);
            return _readBuffer.AsMemory(0, length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"nothing came for {Timeout.TotalSeconds:0.#} s (keepalives missing)");
        }
    }

    public void Dispose() => _writeGate.Dispose();
}
