using System.Net;
using System.Net.Sockets;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>Handles one datagram; <c>reply</c> is scratch space the handler may write its answer into.</summary>
public delegate void DatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, IDatagramSender sender);

/// <summary>
/// One bound UDP socket and its one receive loop. The loop runs on a dedicated thread with the
/// synchronous <see cref="SocketAddress"/> overloads: measured on this 2-core machine that answers
/// about twice as many packets per second as the default async dispatch (~170k/s against ~85k/s),
/// and it reuses one buffer and one <see cref="SocketAddress"/> for every datagram.
/// </summary>
public sealed class UdpReceiveLoop : IDatagramSender, IDisposable
{
    private readonly Socket _socket;
    private readonly DatagramHandler _handler;
    private readonly RendezvousStats _stats;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private UdpReceiveLoop(Socket socket, DatagramHandler handler, RendezvousStats stats, ILogger logger, string name)
    {
        _socket = socket;
        _handler = handler;
        _stats = stats;
        _logger = logger;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Binds and starts; a bind failure names the configuration key to fix.</summary>
    public static UdpReceiveLoop Start(IPEndPoint bind, string portKey, DatagramHandler handler, RendezvousStats stats, ILogger logger)
    {
        var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(bind);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            string why = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is in use" : $"cannot be bound ({ex.SocketErrorCode})";
            throw new InvalidOperationException(
                $"UDP {bind} {why}: set {portKey} (e.g. --{portKey}={(bind.Port == 0 ? 3479 : bind.Port + 2)}) or Rendezvous:BindAddress to a free address.", ex);
        }

        var loop = new UdpReceiveLoop(socket, handler, stats, logger, $"punch-udp-{bind.Port}");
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

    public void Stop()
    {
        _stopping = true;
        // Closing the socket wakes the blocking ReceiveFrom with an error, which ends the loop.
        _socket.Close();
        _thread.Join(TimeSpan.FromSeconds(2));
    }

    public void Dispose() => _socket.Dispose();

    private void Run()
    {
        var buffer = new byte[BindingResponder.MaxRequestLength + 1];
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
