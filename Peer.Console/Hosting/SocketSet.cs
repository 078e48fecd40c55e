using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.Hosting;

/// <summary>One session's extra sockets, numbered 1..<see cref="Count"/> as <see cref="Core.Punching.OpenSockets"/> numbers them.</summary>
internal sealed class SocketSet(SocketPool pool, Socket?[] sockets, string? shortfall) : IDisposable
{
    public int Count => sockets.Count(s => s is not null);

    /// <summary>Why fewer sockets than asked for are open, or null.</summary>
    public string? Shortfall => shortfall;

    /// <summary>Sends from socket <paramref name="number"/>; dropped when that socket is closed or was never opened.</summary>
    public void Send(int number, IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        if (number >= 1 && number <= sockets.Length && sockets[number - 1] is { } socket)
        {
            pool.Send(socket, to, datagram);
        }
    }

    /// <summary>Closes every socket but <paramref name="number"/> (0 keeps none: the path is on the main socket).</summary>
    public void KeepOnly(int number)
    {
        for (int index = 0; index < sockets.Length; index++)
        {
            if (index + 1 != number && sockets[index] is { } socket)
            {
                sockets[index] = null;
                pool.Close(socket);
            }
        }
    }

    public void Dispose() => KeepOnly(0);
}
