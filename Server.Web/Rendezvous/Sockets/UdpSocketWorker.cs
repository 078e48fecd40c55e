using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Punch.Core.Stun;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous.Sockets;

/// <summary>
/// One socket of a <see cref="UdpReceiveLoop"/> and the thread that reads it: batched (recvmmsg, then
/// the handlers, then one sendmmsg of every reply) on Linux, or one ReceiveFrom per datagram elsewhere,
/// when <see cref="RendezvousOptions.BatchedIo"/> is off, or when the kernel refuses the calls. Every
/// datagram goes through the same steps either way: relay filter, per-source admission, size check, handler.
/// </summary>
internal sealed unsafe class UdpSocketWorker : IDatagramSender, IRawDatagramSender
{
    /// <summary>
    /// Datagrams per recvmmsg. Measured on loopback with 64 requests in flight: batches seldom pass 20,
    /// and 32 already takes a C echo from ~200k/s (one recvfrom per datagram) to ~400k/s; the receive
    /// slots are 64 KiB (a relayed frame may be that long), so 32 is 2 MiB of native memory per thread.
    /// </summary>
    public const int BatchSize = 32;

    /// <summary>Queued replies per sendmmsg: a received batch can produce more than one datagram each (introductions go to both sides).</summary>
    public const int SendBatchSize = 64;

    /// <summary>Reply slots hold any answer the handlers write (the scratch buffer is <see cref="StunConstants.MaxMessageLength"/>).</summary>
    private const int ReplySlotSize = 2048;

    /// <summary>How often a receive thread with nothing to read looks at its stop flag (Stop also shuts the socket down, which wakes it at once).</summary>
    private static readonly TimeSpan IdleWake = TimeSpan.FromMilliseconds(500);

    private readonly Socket _socket;
    private readonly DatagramHandler _handler;
    private readonly RendezvousStats _stats;
    private readonly SourceRateLimiter? _limiter;
    private readonly RawDatagramFilter? _filter;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly bool _batched;
    private volatile bool _stopping;

    public UdpSocketWorker(Socket socket, bool batched, DatagramHandler handler, RendezvousStats stats, SourceRateLimiter? limiter, RawDatagramFilter? filter, ILogger logger, string name)
    {
        _socket = socket;
        _batched = batched;
        _handler = handler;
        _stats = stats;
        _limiter = limiter;
        _filter = filter;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        if (batched)
        {
            LinuxSockets.SetReceiveTimeout(socket, IdleWake);
        }
    }

    /// <summary>Whether this thread uses recvmmsg/sendmmsg (false once the kernel refused them).</summary>
    public bool Batched { get; private set; }

    public Socket Socket => _socket;

    public void Start() => _thread.Start();

    /// <summary>
    /// Any thread (the tick, other cells' answers, the portable loop). On Linux the endpoint is written into this
    /// thread's own sockaddr: SendTo(IPEndPoint) serializes a new SocketAddress per call (72 bytes a datagram, measured).
    /// </summary>
    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (!LinuxSockets.Available)
        {
            // Elsewhere the sockaddr layout differs (BSD's sa_len): the runtime serializes it, mapped for a dual-stack socket.
            bool mapped = _socket.AddressFamily == AddressFamily.InterNetworkV6 && to.AddressFamily == AddressFamily.InterNetwork;
            Send(datagram, (mapped ? new IPEndPoint(to.Address.MapToIPv6(), to.Port) : to).Serialize());
            return;
        }

        var scratch = t_sendAddress ??= new SocketAddress(AddressFamily.InterNetworkV6);
        int length = SocketAddressWriter.Write(to, _socket.AddressFamily, scratch.Buffer.Span);
        if (length > 0)
        {
            scratch.Size = length;
            Send(datagram, scratch);
        }
    }

    // t_ marks a [ThreadStatic] field; naming rules cannot select by attribute.
#pragma warning disable IDE1006
    [ThreadStatic]
    private static SocketAddress? t_sendAddress;
#pragma warning restore IDE1006

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            _stats.Sent();
        }
        catch (SocketException)
        {
            // UDP sends fail only locally (no route, buffer full, an ICMP error of an earlier send); the peer's retransmission covers it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Stop()
    {
        _stopping = true;
        try
        {
            // Wakes a recvmmsg blocked on this socket (Linux answers ENOTCONN for unconnected UDP but still wakes readers).
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        // Closing the socket wakes the blocking ReceiveFrom with an error, which ends the portable loop.
        _socket.Close();
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    public void Dispose()
    {
        // After a failed start the host disposes the services it started without stopping them: the loop must end, not throw.
        _stopping = true;
        _socket.Dispose();
    }

    private void Run()
    {
        var reply = new byte[StunConstants.MaxMessageLength];
        var address = new SocketAddress(_socket.AddressFamily);
        var endPoints = new EndPointCache(_socket.AddressFamily);
        if (_batched && RunBatched(reply, address, endPoints))
        {
            return;
        }

        RunPortable(reply, address, endPoints);
    }

    /// <summary>False when the kernel refused recvmmsg before anything was received: the caller falls back to the portable loop.</summary>
    private bool RunBatched(byte[] reply, SocketAddress address, EndPointCache endPoints)
    {
        using var received = new DatagramBatch(BatchSize, 65_536);
        using var replies = new DatagramBatch(SendBatchSize, ReplySlotSize);
        var sender = new BatchSender(_socket, replies, received, _stats, this);
        bool added = false;
        var handle = _socket.SafeHandle;
        try
        {
            // The descriptor must outlive our own calls on it: Stop closes the socket from another thread.
            handle.DangerousAddRef(ref added);
            nint fd = handle.DangerousGetHandle();
            Batched = true;
            while (!_stopping)
            {
                received.PrepareReceive(UdpReceiveLoop.MaxDatagramLength);
                int count = LinuxSockets.ReceiveMessages(fd, received.Headers, BatchSize, LinuxSockets.WaitForOne, 0);
                if (count < 0)
                {
                    int error = Marshal.GetLastPInvokeError();
                    if (error is LinuxSockets.NotImplemented or LinuxSockets.NotSupported)
                    {
                        Batched = false;
                        RendezvousLog.BatchingUnavailable(_logger, error);
                        return false;
                    }

                    // EAGAIN (the idle timeout), EINTR, or an ICMP error of an earlier send (ECONNREFUSED): nothing about a datagram.
                    continue;
                }

                if (_stopping)
                {
                    break;
                }

                for (int i = 0; i < count; i++)
                {
                    var name = received.Name(i);
                    if (name.Length < 8)
                    {
                        // Not a datagram: after shutdown(2) every recvmsg in the batch "receives" 0 bytes from nobody.
                        continue;
                    }

                    address.Size = name.Length;
                    name.CopyTo(address.Buffer.Span);
                    Dispatch(received.Received(i), received.Truncated(i), address, endPoints, reply, sender);
                }

                sender.Flush();
            }

            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Batched = false;
            RendezvousLog.BatchingUnavailable(_logger, 0);
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private void RunPortable(byte[] reply, SocketAddress address, EndPointCache endPoints)
    {
        // Room for the largest UDP payload: relayed frames may be that large; STUN messages past MaxMessageLength are still refused in Dispatch.
        var buffer = new byte[UdpReceiveLoop.MaxDatagramLength];
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (ObjectDisposedException)
            {
                // Disposed without Stop: the host let go of the services after a failed start. The thread ends quietly.
                break;
            }
            catch (SocketException) when (!_stopping)
            {
                // Linux reports ICMP errors of earlier sends on the next receive (ECONNREFUSED); they say nothing about this datagram.
                continue;
            }
            catch (Exception) when (_stopping)
            {
                break;
            }

            Dispatch(buffer.AsSpan(0, received), received == buffer.Length, address, endPoints, reply, this);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> datagram, bool truncated, SocketAddress address, EndPointCache endPoints, byte[] reply, IRawDatagramSender sender)
    {
        _stats.Received();
        if (_filter is { } filter && !truncated && filter(datagram, address, sender))
        {
            return;
        }

        // Before anything parses or allocates: an over-limit source costs one table lookup.
        if (_limiter is { } limiter && !limiter.TryAdmit(SourceRateLimiter.AdmissionKeyOf(address)))
        {
            return;
        }

        try
        {
            // Larger than any message we accept (a datagram that filled the buffer was cut), but for
            // a Binding request padded for RFC 5780's fragmentation test (§7.6).
            if (truncated || datagram.Length > BindingResponder.MaxRequestLength || (datagram.Length > StunConstants.MaxMessageLength && !BindingResponder.IsBindingRequest(datagram)))
            {
                _stats.Malformed();
                return;
            }

            _handler(datagram, endPoints.Get(address), reply, sender);
        }
        catch (Exception ex)
        {
            _stats.Malformed();
            RendezvousLog.ReceiveFailed(_logger, ex);
        }
    }
}
