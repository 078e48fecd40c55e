using System.Net;
using System.Net.Sockets;
using Punch.Core.Stun;
using Punch.Server.Hosting;

namespace Punch.Server.Rendezvous;

/// <summary>Handles one datagram; <c>reply</c> is scratch space the handler may write its answer into.</summary>
public delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, IDatagramSender sender);

/// <summary>
/// Looks at a datagram before admission and parsing, with its source still in sockaddr form; true when
/// it took the datagram (the relay's frames), false to hand it on as usual.
/// </summary>
public delegate bool RawDatagramFilter(ReadOnlySpan<byte> datagram, SocketAddress from, IRawDatagramSender sender);

/// <summary>Sends to an address already in sockaddr form: the relay's per-datagram send allocates nothing.</summary>
public interface IRawDatagramSender : IDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram, SocketAddress to);
}

/// <summary>
/// One bound UDP socket and its one receive loop. The loop runs on a dedicated thread with the
/// synchronous <see cref="SocketAddress"/> overloads: measured on this 2-core machine that answers
/// about twice as many packets per second as the default async dispatch (~170k/s against ~85k/s),
/// and it reuses one buffer and one <see cref="SocketAddress"/> for every datagram.
/// </summary>
public sealed class UdpReceiveLoop : IRawDatagramSender, IDisposable
{
    private readonly Socket _socket;
    private readonly DatagramHandler _handler;
    private readonly RendezvousStats _stats;
    private readonly SourceRateLimiter? _limiter;
    private readonly RawDatagramFilter? _filter;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private UdpReceiveLoop(Socket socket, DatagramHandler handler, RendezvousStats stats, SourceRateLimiter? limiter, RawDatagramFilter? filter, ILogger logger, string name)
    {
        _filter = filter;
        _socket = socket;
        _handler = handler;
        _stats = stats;
        _limiter = limiter;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>The largest UDP payload over IPv4 (65,535 - 8 - 20): a full buffer means the datagram was cut.</summary>
    public const int MaxDatagramLength = 65_507 + 1;

    /// <summary>
    /// Binds and starts; a bind failure names the configuration key to fix. Without a <paramref name="limiter"/> every source is admitted;
    /// a <paramref name="filter"/> sees every datagram first (the relay's frames bypass the per-source limit: each allocation has its own).
    /// </summary>
    public static UdpReceiveLoop Start(IPEndPoint bind, string portKey, DatagramHandler handler, RendezvousStats stats, SourceRateLimiter? limiter, ILogger logger, RawDatagramFilter? filter = null)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // One dual-mode socket per listener (not one per family): one receive thread, one port, and the relay
            // forwards between an IPv4 and an IPv6 side through the same socket.
            DualStack.Prepare(socket, bind.Address);
            socket.Bind(bind);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            string why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is in use" : $"cannot be bound ({ex.SocketErrorCode})";
            throw new StartupException(
                $"UDP {bind} {why}: set {portKey} (e.g. --{portKey}={(bind.Port == 0 ? 3479 : bind.Port + 2)}) or Rendezvous:BindAddress to a free address.", ex);
        }

        var loop = new UdpReceiveLoop(socket, handler, stats, limiter, filter, logger, $"punch-udp-{bind.Port}");
        RendezvousLog.Listening(logger, loop.LocalEndPoint);
        loop._thread.Start();
        return loop;
    }

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            _stats.Sent();
        }
        catch (SocketException)
        {
            // UDP sends fail only locally (no route, buffer full); the peer's retransmission covers it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to);
            _stats.Sent();
        }
        catch (SocketException)
        {
            // As above: the relay is best effort like the UDP it carries.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Stop()
    {
        _stopping = true;
        // Closing the socket wakes the blocking ReceiveFrom with an error, which ends the loop.
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
        // Room for the largest UDP payload: relayed frames may be that large; STUN messages past MaxMessageLength are still refused below.
        var buffer = new byte[MaxDatagramLength];
        var reply = new byte[StunConstants.MaxMessageLength];
        var address = new SocketAddress(_socket.AddressFamily);
        var template = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
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

            _stats.Received();
            if (_filter is { } filter && received < buffer.Length && filter(buffer.AsSpan(0, received), address, this))
            {
                continue;
            }

            // Before anything parses or allocates: an over-limit source costs one table lookup.
            if (_limiter is { } limiter && !limiter.TryAdmit(SourceRateLimiter.AdmissionKeyOf(address)))
            {
                continue;
            }

            try
            {
                // Larger than any message we accept (a datagram that filled the buffer was cut), but for
                // a Binding request padded for RFC 5780's fragmentation test (§7.6).
                if (received > BindingResponder.MaxRequestLength || (received > StunConstants.MaxMessageLength && !BindingResponder.IsBindingRequest(buffer)))
                {
                    _stats.Malformed();
                    continue;
                }

                var from = (IPEndPoint)template.Create(address);
                if (from.Address.IsIPv4MappedToIPv6)
                {
                    from = new IPEndPoint(from.Address.MapToIPv4(), from.Port);
                }

                _handler(buffer.AsSpan(0, received), from, reply, this);
            }
            catch (Exception ex)
            {
                _stats.Malformed();
                RendezvousLog.ReceiveFailed(_logger, ex);
            }
        }
    }
}
