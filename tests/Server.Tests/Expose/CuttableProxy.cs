using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// A TCP forwarder on loopback between a peer and the server's control port that can cut the path
/// the way a changed network does: the peer's side is reset, the server's side stays open and
/// silent (no FIN, no reset), so the server does not notice until its control timeout.
/// </summary>
public sealed class CuttableProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<(Socket Peer, Socket Server, CancellationTokenSource Pumps)> _paths = [];
    private readonly IPEndPoint _target;

    public CuttableProxy(IPEndPoint target)
    {
        _target = target;
        _listener.Start();
        _ = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Resets the peer's side of every path open now; the server's sides are kept, silent, until disposal.</summary>
    public void CutPeerSides()
    {
        lock (_gate)
        {
            foreach (var (peer, _, pumps) in _paths)
            {
                pumps.Cancel();
                peer.LingerState = new LingerOption(true, 0);
                peer.Close();
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var peer = await _listener.AcceptSocketAsync(_stop.Token);
                var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                var pumps = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                lock (_gate)
                {
                    _paths.Add((peer, server, pumps));
                }

                await server.ConnectAsync(_target, _stop.Token).AsTask().WaitAsync(ExposeHost.Timeout);
                _ = PumpAsync(peer, server, pumps.Token);
                _ = PumpAsync(server, peer, pumps.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException or TimeoutException)
        {
            // Stopped, or the test's server went away.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, cancellationToken)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), cancellationToken);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Cut, or either side closed.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_gate)
        {
            foreach (var (peer, server, pumps) in _paths)
            {
                peer.Dispose();
                server.Dispose();
                pumps.Dispose();
            }
        }

        _stop.Dispose();
    }
}
