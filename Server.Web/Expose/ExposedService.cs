using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;

namespace Punch.Server.Expose;

/// <summary>
/// One published service: the peer's control connection, the public listener, and its visitors.
/// Lives as long as the control connection: when that ends (closed, keepalives missing, a takeover,
/// the server stopping) the listener is closed first, so no new visitor gets in, then every visitor.
/// </summary>
// Stop(reason) is this service's end of life: it disposes the control connection (and so its socket),
// closes the listener and every visitor. _stopping is never given a timer (no CancelAfter), so it holds
// nothing to release, and Stopped reads it after Stop.
#pragma warning disable CA1001
public sealed class ExposedService(PeerIdentity peer, ushort publicPort, string localService, Socket control, IPEndPoint peerEndPoint, ExposeDependencies deps)
#pragma warning restore CA1001
{
    private readonly ConcurrentDictionary<ulong, VisitorConnection> _visitors = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ControlChannel _control = new(new NetworkStream(control, ownsSocket: true), deps.Options.ControlTimeout);
    private TcpListener? _listener;
    private string? _stopReason;
    private long _totalConnections;
    private long _bytesToPeer;
    private long _bytesToVisitors;

    public PeerIdentity Peer { get; } = peer;
    public ushort PublicPort { get; } = publicPort;
    public string LocalService { get; } = localService;
    public IPEndPoint PeerEndPoint { get; } = peerEndPoint;

    /// <summary>128 random bits given to the peer in the Register answer; only a registration showing them may take this service over.</summary>
    public UInt128 Secret { get; } = NewSecret();
    public DateTimeOffset Since { get; } = deps.Time.GetUtcNow();
    public int ActiveConnections => _visitors.Count;
    public long TotalConnections => Interlocked.Read(ref _totalConnections);
    public long BytesToPeer => Interlocked.Read(ref _bytesToPeer);
    public long BytesToVisitors => Interlocked.Read(ref _bytesToVisitors);
    public IReadOnlyCollection<VisitorConnection> Visitors => [.. _visitors.Values];
    public bool Stopped => _stopping.IsCancellationRequested;

    /// <summary>Binds the public port.</summary>
    /// <exception cref="SocketException">The port is taken by another program, or not ours to bind.</exception>
    public void Listen()
    {
        var listener = Hosting.DualStack.Listener(deps.Options.BindIPAddress, PublicPort);
        listener.Start(backlog: 512);
        _listener = listener;
    }

    /// <summary>Serves until the control connection ends; returns why it ended.</summary>
    public async Task<string> RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _stopping.Token);
        var token = linked.Token;
        var ended = await Task.WhenAny(AcceptVisitorsAsync(token), ReadControlAsync(token), SendKeepalivesAsync(token));
        Stop(await ended);
        return _stopReason!;
    }

    /// <summary>Closes the listener at once, then every visitor, then the control connection. Idempotent; the first reason stays.</summary>
    public void Stop(string reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, reason, null) is not null)
        {
            return;
        }

        _listener?.Stop();
        _stopping.Cancel();
        foreach (var visitor in _visitors.Values)
        {
            deps.Registry.RemovePending(visitor);
            visitor.Finish($"the service was unexposed: {reason}");
        }

        control.Dispose();
        _control.Dispose();
        deps.Registry.Release(this);
    }

    internal void CountBytes(bool toPeer, int bytes)
    {
        if (toPeer)
        {
            Interlocked.Add(ref _bytesToPeer, bytes);
        }
        else
        {
            Interlocked.Add(ref _bytesToVisitors, bytes);
        }
    }

    internal void VisitorFinished(VisitorConnection visitor, string reason)
    {
        _visitors.TryRemove(visitor.Id, out _);
        deps.Registry.VisitorGone(visitor.Address.Address);
        ExposeLog.VisitorClosed(deps.Logger, PublicPort, visitor.Address, visitor.BytesToPeer, visitor.BytesToVisitor, reason);
        Publish(PunchEventKind.VisitorClosed, reason: $"{visitor.BytesToPeer} bytes in, {visitor.BytesToVisitor} bytes out: {reason}",
            visitor: visitor.Address, bytes: visitor.BytesToPeer + visitor.BytesToVisitor);
    }

    internal void Publish(PunchEventKind kind, string reason, IPEndPoint? visitor = null, long? bytes = null) =>
        deps.Events.TryPublish(new ServiceEvent(kind)
        {
            At = deps.Time.GetUtcNow(),
            Network = Peer.Network,
            Peer = Peer.Name,
            PublicEndpoint = PeerEndPoint.ToString(),
            RemoteEndpoint = visitor?.ToString(),
            Reason = reason,
            RelayBytes = bytes,
        });

    private async Task<string> AcceptVisitorsAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                Socket socket;
                try
                {
                    socket = await _listener!.AcceptSocketAsync(cancellationToken);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionAborted or SocketError.ConnectionReset)
                {
                    continue; // The visitor gave up while in the backlog.
                }

                try
                {
                    Admit(socket);
                }
                catch (SocketException)
                {
                    socket.Dispose(); // Reset by the visitor between the accept and now: that visitor only, the listener goes on.
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            return cancellationToken.IsCancellationRequested ? "the server is stopping" : $"the public listener failed: {ex.Message}";
        }
    }

    private void Admit(Socket socket)
    {
        var address = Hosting.DualStack.Normalize((IPEndPoint)socket.RemoteEndPoint!);
        socket.NoDelay = true; // Throws for a visitor that already reset: before any slot is taken.
        var options = deps.Options;
        if (_visitors.Count >= options.MaxConnectionsPerService)
        {
            if (deps.Refusals.Count(ExposeRefusalKind.VisitorsPerService, out long unlogged))
            {
                ExposeLog.VisitorRefused(deps.Logger, PublicPort, address, options.MaxConnectionsPerService, unlogged);
            }

            socket.Dispose();
            return;
        }

        // Checked after the service's own cap, so a slot is taken only by a visitor that is then admitted (released in VisitorFinished).
        if (!deps.Registry.TryAdmitVisitor(address.Address, options.MaxConnectionsPerVisitorAddress))
        {
            if (deps.Refusals.Count(ExposeRefusalKind.VisitorsPerAddress, out long unlogged))
            {
                ExposeLog.VisitorAddressRefused(deps.Logger, PublicPort, address, options.MaxConnectionsPerVisitorAddress, unlogged);
            }

            socket.Dispose();
            return;
        }

        ulong id = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
        var token = NewSecret();
        var visitor = new VisitorConnection(this, id, token, socket, address, deps.Time.GetUtcNow());
        _visitors[id] = visitor;
        Interlocked.Increment(ref _totalConnections);
        deps.Registry.AddPending(visitor);
        Publish(PunchEventKind.VisitorConnected, $"visitor on public port {PublicPort}", address);
        if (Stopped)
        {
            // Stop() may have walked the visitors before this one was added.
            deps.Registry.RemovePending(visitor);
            visitor.Finish($"the service was unexposed: {_stopReason}");
            return;
        }

        _ = OpenAsync(visitor, _stopping.Token);
    }

    /// <summary>Asks the peer for a data connection, and closes the visitor if none comes in time.</summary>
    private async Task OpenAsync(VisitorConnection visitor, CancellationToken cancellationToken)
    {
        try
        {
            await _control.SendAsync(new ExposeOpenIndication(TransactionId.NewRandom(), visitor.Id, visitor.Token, visitor.Address).WriteTo, cancellationToken);
            await Task.Delay(deps.Options.AttachTimeout, deps.Time, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or TimeoutException or ObjectDisposedException)
        {
            // Stop() closes every visitor; a write that failed or timed out means the control connection is gone.
            if (!cancellationToken.IsCancellationRequested)
            {
                Stop($"the control connection failed: {ex.Message}");
            }

            return;
        }

        if (deps.Registry.RemovePending(visitor))
        {
            visitor.Finish($"the peer did not attach a data connection within {deps.Options.AttachTimeout.TotalSeconds:0.#} s");
        }
    }

    private static UInt128 NewSecret() => new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)), BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));

    private async Task<string> ReadControlAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var message = await _control.ReadAsync(cancellationToken);
                if (message.Length == 0)
                {
                    return "the peer closed its control connection";
                }

                if (ExposeOpenFailedIndication.TryRead(message.Span, out var failed)
                    && _visitors.TryGetValue(failed.ConnectionId, out var visitor) && deps.Registry.RemovePending(visitor))
                {
                    visitor.Finish($"the peer could not open its local service: {failed.Reason}");
                }

                // Keepalives only prove the connection is alive; anything else unknown is ignored (a newer peer may say more).
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? "the server is stopping" : $"the control connection failed: {ex.Message}";
        }
    }

    private async Task<string> SendKeepalivesAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(deps.Options.KeepaliveInterval, deps.Time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await _control.SendAsync(new ExposeKeepaliveIndication(TransactionId.NewRandom()).WriteTo, cancellationToken);
            }

            return "the server is stopping";
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? "the server is stopping" : $"the control connection failed: {ex.Message}";
        }
    }
}
