using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.Hosting;

/// <summary>Handles one datagram that arrived on extra socket <paramref name="socket"/> (1-based); false when nothing wanted it.</summary>
internal delegate bool ExtraDatagramHandler(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram);

/// <summary>Runs a handler the way the host runs its own: under the host's lock with faults contained, then wakes the timer loop.</summary>
internal delegate void LockedDispatch(Func<bool> handle);

/// <summary>
/// The extra UDP sockets of port prediction: the side behind an endpoint-dependent (symmetric) NAT
/// opens many, and each gets its own public port toward the peer. Each socket has its own receive
/// loop with one reused buffer; datagrams go to the handler of the <see cref="SocketSet"/> that owns
/// the socket. Bounded host-wide (<see cref="MaxOpen"/>) so many sessions at once cannot exhaust file
/// descriptors, and every socket still open is closed on dispose.
/// </summary>
internal sealed class SocketPool(IPAddress address, LockedDispatch dispatch, CancellationToken stop) : IDisposable
{
    /// <summary>One session may ask for up to 1024 (the <see cref="Core.Punching.PunchOptions"/> limit); the host never holds more.</summary>
    public const int MaxOpen = 1024;

    /// <summary>Checks and frames are far smaller (a STUN message is at most 1280 bytes here); anything bigger is not ours.</summary>
    private const int ReceiveBufferSize = 2048;

    private readonly Lock _gate = new();
    private readonly HashSet<Socket> _open = [];
    private long _openedTotal;
    private long _datagramsSent;
    private bool _disposed;

    /// <summary>Extra sockets open right now, over all sessions.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Extra sockets ever opened (diagnostics and tests).</summary>
    public long OpenedTotal => Interlocked.Read(ref _openedTotal);

    /// <summary>Datagrams sent from extra sockets (diagnostics and tests).</summary>
    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    /// <summary>
    /// Opens up to <paramref name="count"/> sockets numbered 1..count on the main socket's address
    /// with OS-chosen ports; fewer when the host-wide bound or the OS says no (<see cref="SocketSet.Shortfall"/> says why).
    /// </summary>
    public SocketSet Open(int count, ExtraDatagramHandler handler)
    {
        var sockets = new Socket?[count];
        string? shortfall = null;
        for (int index = 0; index < count; index++)
        {
            Socket socket;
            try
            {
                // The main socket's address: the dual-stack wildcard gives the prediction sockets both families too.
#pragma warning disable CA2000 // ownership passes to this pool (TryTrack; Dispose closes every tracked socket), or it is disposed right here when not tracked
                socket = DualStackSocket.Bind(new IPEndPoint(address, 0));
#pragma warning restore CA2000
            }
            catch (SocketException e)
            {
                shortfall = $"only {index} of {count} port prediction sockets could be opened: {e.Message}";
                break;
            }

            if (!TryTrack(socket))
            {
                socket.Dispose();
                shortfall = $"only {index} of {count} port prediction sockets were opened: this peer holds at most {MaxOpen} at once";
                break;
            }

            sockets[index] = socket;
            _ = ReceiveLoopAsync(socket, index + 1, handler);
        }

        return new SocketSet(this, sockets, shortfall);
    }

    public void Dispose()
    {
        List<Socket> open;
        lock (_gate)
        {
            _disposed = true;
            open = [.. _open];
            _open.Clear();
        }

        foreach (var socket in open)
        {
            socket.Dispose();
        }
    }

    internal void Close(Socket socket)
    {
        lock (_gate)
        {
            _open.Remove(socket);
        }

        // Disposing ends the socket's pending receive, and with it the receive loop.
        socket.Dispose();
    }

    internal void Send(Socket socket, IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
            Interlocked.Increment(ref _datagramsSent);
        }
        catch (SocketException)
        {
            // Like the main socket: an unreachable guess is normal while punching.
        }
        catch (ObjectDisposedException)
        {
            // Closed by PathUp or the session's end while this send was on its way.
        }
    }

    private bool TryTrack(Socket socket)
    {
        lock (_gate)
        {
            if (_disposed || _open.Count >= MaxOpen)
            {
                return false;
            }

            _open.Add(socket);
            _openedTotal++;
            return true;
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, int number, ExtraDatagramHandler handler)
    {
        var buffer = new byte[ReceiveBufferSize];
        var anyEndPoint = DualStackSocket.AnySender(socket);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyEndPoint, stop);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send (likely: most guesses miss), or an oversized datagram.
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var from = DualStackSocket.Normalize(received.RemoteEndPoint);
            int length = received.ReceivedBytes;
            dispatch(() => handler(number, from, buffer.AsSpan(0, length)));
        }
    }
}
