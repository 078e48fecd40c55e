using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// The service a peer exposes, on loopback: <see cref="Mode.Download"/> sends its payload to every
/// connection and closes; <see cref="Mode.Echo"/> sends back what it gets until the other side closes.
/// Every connection gets its own task; all of them end with <see cref="Dispose"/>.
/// </summary>
public sealed class LocalService : IDisposable
{
    public enum Mode { Download, Echo }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Mode _mode;
    private readonly byte[] _payload;
    private int _connections;

    public LocalService(Mode mode, byte[] payload)
    {
        _mode = mode;
        _payload = payload;
        _listener.Start(backlog: 256);
        _ = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Interlocked.Increment(ref _connections);
                _ = ServeAsync(socket);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        try
        {
            if (_mode == Mode.Download)
            {
                await stream.WriteAsync(_payload, _stop.Token);
            }
            else
            {
                await stream.CopyToAsync(stream, _stop.Token);
            }

            socket.Shutdown(SocketShutdown.Send);
            // Wait for the other side's close, so the last bytes are not cut by a reset.
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, _stop.Token);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The visitor went away mid-transfer, or the test is over.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
