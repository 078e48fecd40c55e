using System.Net;
using System.Net.Sockets;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Cli;

namespace Punch.Peer.Expose;

/// <summary>
/// <c>punch expose --public-port</c>: learns the server's expose control port from its rendezvous (unless
/// <c>--control-port</c> gives it), keeps one control connection to it and,
/// for every visitor the server announces, dials the local service and a data connection to the
/// server and splices them. A lost control connection is made again with backoff, showing the
/// service secret the server gave at the last registration, so the server hands the port back even
/// before it noticed the old connection died; a refusal (key, port, open network) ends the run with
/// its reason, and so does a control port that cannot be reached before the first registration (a wrong port or a
/// firewall does not heal by itself; a server restart after that does, so it is waited out).
/// </summary>
public sealed class ExposeClient(ExposeRunOptions options, ExposeReporter report, TimeProvider time)
{
    /// <summary>The secret of our live (or last) registration; kept in memory only, for the life of the process.</summary>
    private UInt128? _serviceSecret;

    /// <summary>The server's control endpoint: the rendezvous' address and the announced (or given) control port.</summary>
    private IPEndPoint _control = null!;

    /// <summary>A registration succeeded in this run: from then on an unreachable control port is a restart to wait out.</summary>
    private bool _everExposed;

    private enum Ending { Stopped, Refused, Lost, Unreachable }

    private readonly record struct Attempt(Ending Ending, string Reason, bool WasUp);

    /// <summary>
    /// Runs until stopped (exit 0), or refused, or without a control port to reach (exit 1: the rendezvous did not
    /// answer or announces none, or the control port cannot be reached before the first registration).
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        string source;
        if (options.ControlPort is { } given)
        {
            (_control, source) = (new IPEndPoint(options.Server.Address, given), $"given by --control-port (the rendezvous is {options.Server})");
        }
        else
        {
            var lookup = await new ControlPortLookup(options, time).RunAsync(cancellationToken);
            if (cancellationToken.IsCancellationRequested)
            {
                report.Closed("stopped before the server was reached");
                return ExitCodes.Success;
            }

            if (lookup.ControlPort is not { } announced)
            {
                report.Failed(lookup.Problem!);
                return ExitCodes.NoPath;
            }

            (_control, source) = (new IPEndPoint(options.Server.Address, announced), $"the rendezvous at {options.Server} announced");
        }

        return await ServeAsync(source, cancellationToken);
    }

    private async Task<int> ServeAsync(string controlSource, CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(options.FirstReconnectDelay, options.MaxReconnectDelay, Random.Shared);
        while (true)
        {
            var attempt = await RunOnceAsync(cancellationToken);
            switch (attempt.Ending)
            {
                case Ending.Stopped:
                    report.Closed("stopped; the server closes the public port");
                    return ExitCodes.Success;
                case Ending.Refused:
                    report.Failed(attempt.Reason);
                    return ExitCodes.NoPath;
                case Ending.Unreachable when !_everExposed:
                    report.Failed($"{attempt.Reason}; that is the expose control port {controlSource}");
                    return ExitCodes.NoPath;
            }

            if (attempt.WasUp)
            {
                backoff.Reset();
            }

            var delay = backoff.Next();
            report.Warning($"{attempt.Reason}; connecting again in {delay.TotalSeconds:0.#} s");
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                report.Closed("stopped while waiting to connect again");
                return ExitCodes.Success;
            }
        }
    }

    private async Task<Attempt> RunOnceAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(_control.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (await ConnectAsync(socket, _control, cancellationToken) is { } unreachable)
        {
            return cancellationToken.IsCancellationRequested ? new(Ending.Stopped, "", false) : new(Ending.Unreachable, $"cannot reach the server at {_control}: {unreachable}", false);
        }

        using var control = new ControlChannel(new NetworkStream(socket, ownsSocket: false), options.ConnectTimeout * 2);
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            var keepalive = await RegisterAsync(control, cancellationToken);
            if (keepalive.Refusal is { } refusal)
            {
                return new(Ending.Refused, refusal, false);
            }

            _everExposed = true;
            report.Exposed(options, _control);
            // The server drops us after its control timeout (at least two keepalive intervals); we give it three.
            control.Timeout = keepalive.Interval * 3;
            var keepalives = SendKeepalivesAsync(control, keepalive.Interval, session.Token);
            string reason = await ServeAsync(control, session.Token);
            await session.CancelAsync();
            await keepalives;
            return cancellationToken.IsCancellationRequested ? new(Ending.Stopped, reason, true) : new(Ending.Lost, reason, true);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or TimeoutException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            return cancellationToken.IsCancellationRequested ? new(Ending.Stopped, "", false) : new(Ending.Lost, $"the control connection to {_control} failed: {ex.Message}", false);
        }
        finally
        {
            await session.CancelAsync();
            // A FIN, not a reset: the server reads it as "the peer closed its control connection" and closes the public port.
            TryShutdown(socket);
        }
    }

    private readonly record struct Registration(string? Refusal, TimeSpan Interval);

    private async Task<Registration> RegisterAsync(ControlChannel control, CancellationToken cancellationToken)
    {
        var request = new ExposeRegisterRequest(TransactionId.NewRandom(), options.Identity, options.PublicPort, options.LocalText, _serviceSecret);
        MessageSignature? signature = options.Key is { } key
            ? new MessageSignature(MessageAuthentication.DeriveKey(options.Identity.Network, key), time.GetUtcNow())
            : null;
        await control.SendAsync(d => request.WriteTo(d, signature), cancellationToken);
        var answer = await control.ReadAsync(cancellationToken);
        if (ExposeRegisterResponse.TryRead(answer.Span, out var accepted))
        {
            _serviceSecret = accepted.ServiceSecret;
            return new(null, accepted.KeepaliveInterval);
        }

        if (ErrorResponse.TryRead(answer.Span, out var error))
        {
            return new(error.Code == PunchErrorCode.Unauthenticated
                ? $"the server refused our key for network {options.Identity.Network}: {error.Reason}"
                : $"the server refused to expose port {options.PublicPort}: {error.Reason}", default);
        }

        throw new InvalidDataException(answer.Length == 0 ? "the server closed the connection without answering" : "the server's answer is not an expose registration response");
    }

    private async Task<string> ServeAsync(ControlChannel control, CancellationToken cancellationToken)
    {
        while (true)
        {
            var message = await control.ReadAsync(cancellationToken);
            if (message.Length == 0)
            {
                return "the server closed the control connection";
            }

            if (ExposeOpenIndication.TryRead(message.Span, out var open))
            {
                _ = ServeVisitorAsync(control, open, cancellationToken);
            }
        }
    }

    private async Task SendKeepalivesAsync(ControlChannel control, TimeSpan interval, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(interval, time);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await control.SendAsync(new ExposeKeepaliveIndication(TransactionId.NewRandom()).WriteTo, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            // The read loop notices the same broken connection and says why.
        }
    }

    /// <summary>One visitor: local service first (so a refusal is reported, not attached), then the data connection, then the splice.</summary>
    private async Task ServeVisitorAsync(ControlChannel control, ExposeOpenIndication open, CancellationToken cancellationToken)
    {
        report.VisitorOpened(open.ConnectionId, open.Visitor);
        using var local = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var data = new Socket(_control.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        string reason;
        long bytesIn = 0, bytesOut = 0;
        try
        {
            if (await ConnectAsync(local, options.LocalHost, options.LocalPort, cancellationToken) is { } localProblem)
            {
                reason = $"the local service {options.LocalText} cannot be reached: {localProblem}";
                await control.SendAsync(new ExposeOpenFailedIndication(TransactionId.NewRandom(), open.ConnectionId, reason).WriteTo, cancellationToken);
            }
            else if (await ConnectAsync(data, _control, cancellationToken) is { } serverProblem)
            {
                reason = $"the data connection to {_control} failed: {serverProblem}";
            }
            else
            {
                await using var dataStream = new NetworkStream(data, ownsSocket: false);
                await using var localStream = new NetworkStream(local, ownsSocket: false);
                await StunStream.WriteMessageAsync(dataStream, new ExposeAttachIndication(TransactionId.NewRandom(), open.ConnectionId, open.Token).WriteTo, cancellationToken);
                var result = await StreamSplice.RunAsync(
                    new SpliceEnd(dataStream, () => data.Shutdown(SocketShutdown.Send), "server"),
                    new SpliceEnd(localStream, () => local.Shutdown(SocketShutdown.Send), "local service"),
                    null,
                    cancellationToken);
                (bytesIn, bytesOut, reason) = (result.BytesAToB, result.BytesBToA, result.Ending);
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            reason = cancellationToken.IsCancellationRequested ? "the control connection ended" : ex.Message;
        }

        report.VisitorClosed(open.ConnectionId, open.Visitor, bytesIn, bytesOut, reason);
    }

    private Task<string?> ConnectAsync(Socket socket, IPEndPoint endPoint, CancellationToken cancellationToken) =>
        ConnectAsync(socket, endPoint.Address.ToString(), endPoint.Port, cancellationToken);

    /// <summary>Connects within the connect timeout; returns what went wrong, or null.</summary>
    private async Task<string?> ConnectAsync(Socket socket, string host, int port, CancellationToken cancellationToken)
    {
        using var slow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        slow.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(host, port, slow.Token);
            return null;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => $"unknown host {host}",
                _ => ex.Message,
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s";
        }
    }

    private static void TryShutdown(Socket socket)
    {
        try
        {
            if (socket.Connected)
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (SocketException)
        {
            // Already reset by the other side.
        }
    }
}
