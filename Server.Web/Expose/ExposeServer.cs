using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;
using Punch.Server.Hosting;
using Punch.Server.Rendezvous;

namespace Punch.Server.Expose;

/// <summary>
/// The expose control port. Every connection's first message says what it is: a Register opens a
/// control connection (one published service, <see cref="ExposedService"/>), an Attach makes it the
/// data connection of a waiting visitor. Anything else, or silence past Expose:HelloTimeout, is dropped.
/// </summary>
public sealed class ExposeServer(
    IOptions<ExposeOptions> options,
    ExposeRegistry registry,
    ExposeEndpoint endpoint,
    RequestAuthenticator authenticator,
    ExposeRefusals refusals,
    IPunchEventSink events,
    TimeProvider time,
    ILogger<ExposeServer> logger) : IHostedService, IDisposable
{
    /// <summary>
    /// Connections that have not sent their first message yet, at most: each is bounded in time by
    /// Expose:HelloTimeout, this bounds them in number, so a flood of idle connections costs the
    /// server a fixed amount, and past it new ones are closed at once.
    /// </summary>
    public const int MaxHelloConnections = 1024;

    private readonly CancellationTokenSource _stopping = new();
    private int _inHello;
    private readonly AddressCounter _helloByAddress = new();
    private readonly ExposeDependencies _deps = new(options.Value, registry, refusals, events, time, logger);
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private bool _disposed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            ExposeLog.Off(logger);
            return Task.CompletedTask;
        }

        var listener = DualStack.Listener(settings.BindIPAddress, settings.ControlPort);
        try
        {
            listener.Start(backlog: 512);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new StartupException($"Expose:ControlPort {settings.ControlPort} on {settings.BindAddress} cannot be bound: {ex.Message}. Choose another port or stop what uses it.", ex);
        }

        _listener = listener;
        endpoint.ControlEndPoint = (IPEndPoint)listener.LocalEndpoint;
        ExposeLog.Listening(logger, endpoint.ControlEndPoint, settings.Ports.Text);
        _acceptLoop = AcceptAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return; // Dispose has stopped the listener already (a failed start disposes without stopping).
        }

        await _stopping.CancelAsync();
        _listener?.Stop();
        foreach (var service in registry.Services)
        {
            service.Stop("the server is stopping");
        }

        await _acceptLoop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // After a failed start the host disposes without StopAsync: end the accept loop before the token goes.
        _stopping.Cancel();
        _listener?.Stop();
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // A connection reset before we took it: nothing to do.
            }

            if (TryStartHello(socket) is not { } from)
            {
                // Closed at once (not left to the hello timeout): a refused connection must cost the server no descriptor.
                socket.Dispose();
                continue;
            }

            _ = HandleAsync(socket, from, cancellationToken);
        }
    }

    /// <summary>
    /// Counts a new connection as waiting for its first message, per source address first (so one
    /// address cannot fill the server-wide cap and lock exposers out) and then server-wide; null
    /// when either cap is reached. An address's cap is Expose:MaxPendingPerAddress plus the visitors
    /// waiting for its data connections, which only an exposer with live services has.
    /// </summary>
    private IPEndPoint? TryStartHello(Socket socket)
    {
        IPEndPoint from;
        try
        {
            from = DualStack.Normalize((IPEndPoint)socket.RemoteEndPoint!);
        }
        catch (SocketException)
        {
            return null; // Reset between the accept and now.
        }

        // An exposer's address may also have one waiting data connection per visitor it was asked to attach.
        int perAddress = options.Value.MaxPendingPerAddress + registry.PendingAttachesFor(from.Address);
        if (!_helloByAddress.TryAcquire(from.Address, perAddress))
        {
            if (refusals.Count(ExposeRefusalKind.PendingPerAddress, out long unlogged))
            {
                ExposeLog.TooManyHellosFromAddress(logger, from.Address, perAddress, unlogged);
            }

            return null;
        }

        if (Interlocked.Increment(ref _inHello) > MaxHelloConnections)
        {
            EndHello(from);
            if (refusals.Count(ExposeRefusalKind.Pending, out long unlogged))
            {
                ExposeLog.TooManyHellos(logger, MaxHelloConnections, unlogged);
            }

            return null;
        }

        return from;
    }

    private void EndHello(IPEndPoint from)
    {
        Interlocked.Decrement(ref _inHello);
        _helloByAddress.Release(from.Address);
    }

    private async Task HandleAsync(Socket socket, IPEndPoint from, CancellationToken cancellationToken)
    {
        bool handedOver = false;
        try
        {
            var buffer = new byte[StunStream.MaxMessageLength];
            int length;
            try
            {
                socket.NoDelay = true;
                await using var stream = new NetworkStream(socket, ownsSocket: false);
                using var hello = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                hello.CancelAfter(options.Value.HelloTimeout);
                length = await StunStream.ReadMessageAsync(stream, buffer, hello.Token);
            }
            finally
            {
                EndHello(from);
            }

            var message = buffer.AsMemory(0, length);
            if (ExposeAttachIndication.TryRead(message.Span, out var attach))
            {
                handedOver = await AttachAsync(socket, from, attach, cancellationToken);
            }
            else if (ExposeRegisterRequest.TryRead(message.Span, out var register))
            {
                handedOver = true;
                await ServeAsync(socket, from, register, message, cancellationToken);
            }
            else
            {
                ExposeLog.Dropped(logger, from, length == 0 ? "closed before its first message" : "the first message is neither a Register nor an Attach");
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            ExposeLog.Dropped(logger, from, ex is OperationCanceledException ? $"no first message within {options.Value.HelloTimeout.TotalSeconds:0.#} s" : ex.Message);
        }
        finally
        {
            if (!handedOver)
            {
                socket.Dispose();
            }
        }
    }

    private async Task<bool> AttachAsync(Socket socket, IPEndPoint from, ExposeAttachIndication attach, CancellationToken cancellationToken)
    {
        if (registry.TakePending(attach.ConnectionId, attach.Token) is not { } visitor)
        {
            if (refusals.Count(ExposeRefusalKind.Attach, out long unlogged))
            {
                ExposeLog.AttachRefused(logger, from, attach.ConnectionId, unlogged);
            }

            return false;
        }

        await visitor.SpliceAsync(socket, cancellationToken);
        return true;
    }

    /// <summary>Checks a registration, answers it, and serves the service until its control connection ends.</summary>
    private async Task ServeAsync(Socket socket, IPEndPoint from, ExposeRegisterRequest register, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var service = new ExposedService(register.Peer, register.PublicPort, register.LocalService, socket, from, _deps);
        if (Admit(register, raw.Span, from, service) is { } refusal)
        {
            if (refusals.Count(refusal.Kind, out long unlogged))
            {
                ExposeLog.Refused(logger, register.Peer.Network, register.Peer.Name, from, refusal.Reason, unlogged);
            }

            events.TryPublish(new RequestRejected
            {
                At = time.GetUtcNow(),
                Network = register.Peer.Network,
                Peer = register.Peer.Name,
                PublicEndpoint = from.ToString(),
                Reason = $"expose on public port {register.PublicPort} refused: {refusal.Reason}",
            });
            try
            {
                await StunStream.WriteMessageAsync(stream, new ErrorResponse(ExposeMethod.Register, register.TransactionId, refusal.Code, refusal.Reason).WriteTo, cancellationToken);
                socket.Shutdown(SocketShutdown.Send);
            }
            finally
            {
                socket.Dispose();
            }

            return;
        }

        string reason;
        try
        {
            await StunStream.WriteMessageAsync(stream, new ExposeRegisterResponse(register.TransactionId, register.PublicPort, options.Value.KeepaliveInterval, service.Secret).WriteTo, cancellationToken);
            ExposeLog.Exposed(logger, register.Peer.Network, register.Peer.Name, from, register.LocalService, register.PublicPort);
            service.Publish(PunchEventKind.Exposed, $"public port {register.PublicPort} → {register.LocalService}");
            reason = await service.RunAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The answer could not be sent: the port is listening and reserved, so it must be given back here.
            reason = cancellationToken.IsCancellationRequested ? "the server is stopping" : $"the control connection failed: {ex.Message}";
            service.Stop(reason);
        }

        ExposeLog.Unexposed(logger, register.PublicPort, register.Peer.Network, register.Peer.Name, reason);
        service.Publish(PunchEventKind.Unexposed, $"public port {register.PublicPort} closed: {reason}",
            bytes: service.BytesToPeer + service.BytesToVisitors);
    }

    /// <summary>Key (or open networks allowed), allowed port, holder and caps, then the port itself; null when the service is listening.</summary>
    private ReservationRefusal? Admit(ExposeRegisterRequest register, ReadOnlySpan<byte> raw, IPEndPoint from, ExposedService service)
    {
        var auth = authenticator.Authenticate(raw, new StunMessageType(ExposeMethod.Register, StunClass.Request), from, time.GetUtcNow());
        if (auth.Refused || auth.Outcome == AuthenticationOutcome.Retransmission)
        {
            // Over TCP nothing is retransmitted: a transaction id seen before is a replay.
            string why = auth.Refused ? auth.ShortReason : "replayed";
            return new(PunchErrorCode.Unauthenticated, why, ExposeRefusalKind.Unauthenticated);
        }

        var settings = options.Value;
        if (auth.Outcome == AuthenticationOutcome.Open && !settings.AllowOpenNetworks)
        {
            // Without a key nothing tells one exposer from another, so the server would give ports to whoever asks first.
            string network = register.Peer.Network;
            // The reason phrase is at most 128 characters (RFC 8489 §14.8): what to do comes first.
            return new(ExposeErrorCode.PortNotAllowed,
                $"network {network} has no key: set Expose:AllowOpenNetworks=true on the server, or use a keyed network (--key)",
                ExposeRefusalKind.OpenNetwork);
        }

        if (!settings.Ports.Contains(register.PublicPort))
        {
            return new(ExposeErrorCode.PortNotAllowed, $"port {register.PublicPort} is not allowed on this server (Expose:AllowedPorts is {settings.Ports.Text})", ExposeRefusalKind.PortNotAllowed);
        }

        if (registry.TryReserve(service, register.ServiceSecret, settings, out var replaced) is { } refusal)
        {
            return refusal;
        }

        replaced?.Stop($"{register.Peer.Name} registered again from {from}");
        try
        {
            service.Listen();
            return null;
        }
        catch (SocketException ex)
        {
            registry.Release(service);
            return new(ExposeErrorCode.PortInUse, ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? $"port {register.PublicPort} is in use on the server"
                : $"port {register.PublicPort} cannot be opened on the server: {ex.Message}", ExposeRefusalKind.PortInUse);
        }
    }
}
