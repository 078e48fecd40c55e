using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Punch.Core.Discovery;

namespace Punch.Peer.Netcheck;

/// <summary>
/// The thin socket loop around <see cref="NatDiscovery"/>: opens the sockets it asks for, sends what it
/// says, feeds it every datagram and timer tick, and stops when it is complete. Bounded twice: by the
/// machine's own time limit and by a hard cap here in case anything misbehaves.
/// </summary>
public static class NetcheckRunner
{
    private const int ReceiveBufferSize = 2048;
    private static readonly TimeSpan HardCapMargin = TimeSpan.FromSeconds(10);

    public static Task<DiscoveryResult> RunAsync(NetcheckOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        var discoveryOptions = new DiscoveryOptions
        {
            Server = options.Server,
            LifetimeProbes = options.LifetimeMax is { } max ? DiscoveryOptions.DoublingProbes(max) : [],
        };
        return RunAsync(discoveryOptions, options.Bind, time, cancellationToken);
    }

    /// <summary>Runs discovery on fresh sockets bound to <paramref name="bind"/>'s address (the first socket also to its port).</summary>
    public static async Task<DiscoveryResult> RunAsync(DiscoveryOptions discoveryOptions, IPEndPoint bind, TimeProvider time, CancellationToken cancellationToken)
    {
        var sockets = new List<Socket>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(discoveryOptions.OverallLimit + (discoveryOptions.LifetimeProbes.IsEmpty ? TimeSpan.Zero : discoveryOptions.LifetimeProbes.Max()) + HardCapMargin);
        var inbox = Channel.CreateBounded<(int Socket, IPEndPoint From, byte[] Datagram)>(
            new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropWrite });
        var receivers = new List<Task>();
        try
        {
            // The server's family decides the sockets' (an IPv6 server is checked over IPv6: that is how netcheck sees IPv6 reachability).
            bind = ForServer(bind, discoveryOptions.Server);
            var localAddress = RouteSource(discoveryOptions.Server, bind.Address);
            for (int i = 0; i < DiscoverySockets.Count(discoveryOptions); i++)
            {
                var socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(bind.Address, i == 0 ? bind.Port : 0));
                receivers.Add(ReceiveAsync(socket, i, inbox.Writer, stop.Token));
            }

            var locals = sockets.Select(s => new IPEndPoint(localAddress, ((IPEndPoint)s.LocalEndPoint!).Port)).ToList();
            var discovery = new NatDiscovery(discoveryOptions, locals, time);
            SendAll(sockets, discovery.Start());
            while (!discovery.IsComplete && !stop.IsCancellationRequested)
            {
                var wait = discovery.NextDue is { } due ? due - time.GetUtcNow() : TimeSpan.FromMilliseconds(100);
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timer.CancelAfter(wait <= TimeSpan.Zero ? TimeSpan.Zero : wait);
                try
                {
                    var (socket, from, datagram) = await inbox.Reader.ReadAsync(timer.Token);
                    SendAll(sockets, discovery.OnDatagram(socket, from, datagram));
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    SendAll(sockets, discovery.OnTimer());
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            return discovery.Result;
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            await Task.WhenAll(receivers);
        }
    }

    /// <summary>The local address the OS would send to the server from (a connected UDP socket sends nothing), so "no NAT" can be told.</summary>
    private static IPAddress RouteSource(IPEndPoint server, IPAddress bind)
    {
        if (!bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
        {
            return bind;
        }

        using var probe = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Connect(server);
        return ((IPEndPoint)probe.LocalEndPoint!).Address;
    }

    /// <summary>The wildcard of the server's family (same port); a specific address stays as given.</summary>
    private static IPEndPoint ForServer(IPEndPoint bind, IPEndPoint server) =>
        bind.Address.Equals(IPAddress.Any) && server.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, bind.Port) : bind;

    private static void SendAll(List<Socket> sockets, IReadOnlyList<DiscoverySend> sends)
    {
        foreach (var send in sends)
        {
            try
            {
                sockets[send.Socket].SendTo(send.Datagram, SocketFlags.None, send.To);
            }
            catch (SocketException)
            {
                // Like any lost datagram: the machine retransmits, and gives up in time.
            }
        }
    }

    private static async Task ReceiveAsync(Socket socket, int number, ChannelWriter<(int, IPEndPoint, byte[])> inbox, CancellationToken stop)
    {
        var buffer = new byte[ReceiveBufferSize];
        var any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop);
                inbox.TryWrite((number, (IPEndPoint)received.RemoteEndPoint, buffer[..received.ReceivedBytes]));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier send (the hairpin probe often gets one), or an oversized datagram.
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
