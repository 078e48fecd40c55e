using System.Net;
using System.Net.Sockets;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// An attacker's connections that connect and then say nothing, all from one loopback address (bound
/// before connecting, so the server sees that address and not 127.0.0.1). Disposing closes them all.
/// </summary>
public sealed class IdleConnections : IDisposable
{
    private readonly List<Socket> _sockets = [];

    /// <summary>How many connected (a server that closes a connection at once still completed its handshake first).</summary>
    public int Connected => _sockets.Count;

    /// <summary>Opens <paramref name="count"/> connections to <paramref name="target"/> from <paramref name="from"/>, one after another, each within the test timeout.</summary>
    public static async Task<IdleConnections> OpenAsync(IPAddress from, IPEndPoint target, int count)
    {
        var idle = new IdleConnections();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle._sockets.Add(socket);
                socket.Bind(new IPEndPoint(from, 0));
                try
                {
                    await socket.ConnectAsync(target).WaitAsync(ExposeHost.Timeout);
                }
                catch (SocketException)
                {
                    // A full backlog may refuse one; an attacker just goes on.
                }
            }

            return idle;
        }
        catch
        {
            idle.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
    }
}
