using System.Net;
using System.Net.Sockets;
using Punch.Core.Expose;

namespace Punch.Server.Expose;

/// <summary>
/// One outside connection to a public port: waiting for the peer's data connection, then spliced
/// to it until either side closes. <see cref="Finish"/> runs once, whoever ends it first.
/// </summary>
public sealed class VisitorConnection(ExposedService service, ulong id, UInt128 token, Socket visitor, IPEndPoint address, DateTimeOffset openedAt)
{
    private Socket? _data;
    private int _finished;
    private long _bytesToPeer;
    private long _bytesToVisitor;

    public ulong Id { get; } = id;
    public UInt128 Token { get; } = token;
    public IPEndPoint Address { get; } = address;
    public DateTimeOffset OpenedAt { get; } = openedAt;
    public ExposedService Service { get; } = service;
    public bool Attached => Volatile.Read(ref _data) is not null;
    public long BytesToPeer => Interlocked.Read(ref _bytesToPeer);
    public long BytesToVisitor => Interlocked.Read(ref _bytesToVisitor);

    /// <summary>Splices the visitor to the peer's data connection until both directions end.</summary>
    public async Task SpliceAsync(Socket data, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _data, data);
        if (Volatile.Read(ref _finished) != 0)
        {
            // Closed while the attach was in flight (the service stopped): let the data connection go too.
            data.Dispose();
            return;
        }

        await using var visitorStream = new NetworkStream(visitor, ownsSocket: false);
        await using var dataStream = new NetworkStream(data, ownsSocket: false);
        var result = await StreamSplice.RunAsync(
            new SpliceEnd(visitorStream, () => visitor.Shutdown(SocketShutdown.Send), "visitor"),
            new SpliceEnd(dataStream, () => data.Shutdown(SocketShutdown.Send), "peer"),
            Count,
            cancellationToken);
        Finish(result.Ending);
    }

    /// <summary>Closes the visitor (and the data connection, if any), says why, and forgets it. Idempotent.</summary>
    public void Finish(string reason)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        visitor.Dispose();
        Volatile.Read(ref _data)?.Dispose();
        Service.VisitorFinished(this, reason);
    }

    private void Count(bool toPeer, int bytes)
    {
        if (toPeer)
        {
            Interlocked.Add(ref _bytesToPeer, bytes);
        }
        else
        {
            Interlocked.Add(ref _bytesToVisitor, bytes);
        }

        Service.CountBytes(toPeer, bytes);
    }
}
