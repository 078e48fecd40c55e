using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Punch.Tests.Shared;

/// <summary>
/// A TCP service on 127.0.0.1 for forwarding tests. A client sends an 8-byte big-endian size N:
/// for N &gt; 0 the service sends N bytes (<see cref="Blob"/>, the same for every N) and closes; for
/// N = 0 it echoes everything after the header until the client half-closes, then closes.
/// </summary>
public sealed class BlobService : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public BlobService()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;
    public int Connections;

    /// <summary>The first <paramref name="length"/> bytes the service sends for a request of that size.</summary>
    public static byte[] Blob(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        return data;
    }

    /// <summary>Asks <paramref name="through"/> for <paramref name="size"/> bytes and returns their SHA-256 (reads to the end).</summary>
    public static async Task<byte[]> FetchAsync(IPEndPoint through, int size, CancellationToken cancellationToken)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(through, cancellationToken);
        var header = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(header, size);
        await client.SendAsync(header, SocketFlags.None, cancellationToken);
        client.Shutdown(SocketShutdown.Send);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        return hash.GetHashAndReset();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref Connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                var header = new byte[8];
                for (int got = 0; got < 8;)
                {
                    int read = await socket.ReceiveAsync(header.AsMemory(got), SocketFlags.None, _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    got += read;
                }

                long size = BinaryPrimitives.ReadInt64BigEndian(header);
                if (size > 0)
                {
                    await socket.SendAsync(Blob((int)size), SocketFlags.None, _stop.Token);
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }

                var buffer = new byte[64 * 1024];
                int echoed;
                while ((echoed = await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token)) > 0)
                {
                    await socket.SendAsync(buffer.AsMemory(0, echoed), SocketFlags.None, _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The visitor went away mid-transfer, or the test is over.
            }
        }
    }
}
