using System.Net;
using System.Net.Sockets;
using Punch.Server.Hosting;
using Punch.Server.Rendezvous.Sockets;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>Handles one datagram; <c>reply</c> is scratch space the handler may write its answer into.</summary>
public delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, IDatagramSender sender);

/// <summary>
/// Looks at a datagram before admission and parsing, with its source still in sockaddr form; true when
/// it took the datagram (the relay's frames), false to hand it on as usual.
/// </summary>
public delegate bool RawDatagramFilter(ReadOnlySpan<byte> datagram, SocketAddress from, IRawDatagramSender sender);

/// <summary>
/// One UDP port and the receive threads that serve it. On Linux the port has one socket per thread
/// (SO_REUSEPORT: the kernel hashes each 4-tuple to one socket, so one source always meets the same
/// thread), each read with recvmmsg and answered with sendmmsg; one thread doing one syscall per
/// datagram dropped 0.6-13 % at 100k/s offered on this 2-core machine, where a C recvmmsg echo does
/// ~400k/s. Replies to a request leave from the socket it came to. Elsewhere one socket and one
/// ReceiveFrom per datagram on a dedicated thread (about twice the async dispatch: ~170k/s against ~85k/s).
/// </summary>
public sealed class UdpReceiveLoop : IRawDatagramSender, IDisposable
{
    private readonly UdpSocketWorker[] _workers;

    private UdpReceiveLoop(UdpSocketWorker[] workers, int receiveBufferBytes)
    {
        _workers = workers;
        LocalEndPoint = (IPEndPoint)workers[0].Socket.LocalEndPoint!;
        ReceiveBufferBytes = receiveBufferBytes;
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>How many sockets (and receive threads) share the port.</summary>
    public int SocketCount => _workers.Length;

    /// <summary>How many of them read with recvmmsg right now (0 with batching off, or refused by the kernel).</summary>
    public int BatchedCount => _workers.Count(w => w.Batched);

    /// <summary>The receive buffer the kernel granted each socket (SO_RCVBUF as read back).</summary>
    public int ReceiveBufferBytes { get; }

    /// <summary>The largest UDP payload over IPv4 (65,535 - 8 - 20): a full buffer means the datagram was cut.</summary>
    public const int MaxDatagramLength = 65_507 + 1;

    /// <summary>
    /// Binds and starts; a bind failure names the configuration key to fix. Without a <paramref name="limiter"/> every source is admitted;
    /// a <paramref name="filter"/> sees every datagram first (the relay's frames bypass the per-source limit: each allocation has its own).
    /// </summary>
    public static UdpReceiveLoop Start(IPEndPoint bind, string portKey, DatagramHandler handler, RendezvousStats stats, SourceRateLimiter? limiter, ILogger logger, RawDatagramFilter? filter = null) =>
        Start(bind, portKey, UdpListenSettings.Single, handler, stats, limiter, logger, filter);

    /// <inheritdoc cref="Start(IPEndPoint, string, DatagramHandler, RendezvousStats, SourceRateLimiter?, ILogger, RawDatagramFilter?)"/>
    public static UdpReceiveLoop Start(IPEndPoint bind, string portKey, UdpListenSettings settings, DatagramHandler handler, RendezvousStats stats, SourceRateLimiter? limiter, ILogger logger, RawDatagramFilter? filter = null)
    {
        // SO_REUSEPORT balances only on Linux (BSDs hand unicast to the last socket bound), so elsewhere there is one socket.
        int count = LinuxSockets.Available ? Math.Max(1, settings.Sockets) : 1;
        bool batched = settings.BatchedIo && LinuxSockets.Available;
        var sockets = new List<Socket>(count);
        int granted = 0;
        try
        {
            // Port 0 (tests): the first socket takes a free port, the others join it.
            var at = bind;
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                if (count > 1)
                {
                    LinuxSockets.ReusePort(socket);
                }

                if (settings.ReceiveBufferBytes > 0)
                {
                    granted = LinuxSockets.Available ? LinuxSockets.SetReceiveBuffer(socket, settings.ReceiveBufferBytes) : SetPortable(socket, settings.ReceiveBufferBytes);
                }
                else
                {
                    granted = socket.ReceiveBufferSize;
                }

                // One dual-mode socket set per listener (not one per family): one port, and the relay forwards
                // between an IPv4 and an IPv6 side through the same sockets.
                DualStack.Prepare(socket, bind.Address);
                Bind(socket, at, portKey);
                at = (IPEndPoint)socket.LocalEndPoint!;
            }
        }
        catch
        {
            sockets.ForEach(s => s.Dispose());
            throw;
        }

        var workers = sockets.Select((s, i) => new UdpSocketWorker(s, batched, handler, stats, limiter, filter, logger, $"punch-udp-{bind.Port}-{i}")).ToArray();
        var loop = new UdpReceiveLoop(workers, granted);
        RendezvousLog.Listening(logger, loop.LocalEndPoint);
        RendezvousLog.ReceiveSockets(logger, loop.LocalEndPoint, count, batched, granted, settings.ReceiveBufferBytes);
        foreach (var worker in workers)
        {
            worker.Start();
        }

        return loop;
    }

    private static int SetPortable(Socket socket, int bytes)
    {
        socket.ReceiveBufferSize = bytes;
        return socket.ReceiveBufferSize;
    }

    private static void Bind(Socket socket, IPEndPoint at, string portKey)
    {
        try
        {
            socket.Bind(at);
        }
        catch (SocketException ex)
        {
            string why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is in use" : $"cannot be bound ({ex.SocketErrorCode})";
            throw new StartupException(
                $"UDP {at} {why}: set {portKey} (e.g. --{portKey}={(at.Port == 0 ? 3479 : at.Port + 2)}) or Rendezvous:BindAddress to a free address.", ex);
        }
    }

    /// <summary>Sends from the first socket (the tick, goodbyes, other cells' answers); every socket has the same address and port.</summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to) => _workers[0].Send(datagram, to);

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress to) => _workers[0].Send(datagram, to);

    public void Stop()
    {
        foreach (var worker in _workers)
        {
            worker.Stop();
        }
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
        {
            worker.Dispose();
        }
    }
}
