using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Expose;

/// <summary>
/// Asks the rendezvous (<c>--server</c>, as for <c>punch connect</c>) for the server's expose control port:
/// registers once over UDP (answering the address challenge, signed in a keyed network, retransmitted by
/// <see cref="RendezvousClient"/>), reads <see cref="RegistrationResponse.ExposeControlPort"/> and unregisters
/// at once: the expose run needs the port, not a rendezvous registration.
/// </summary>
internal sealed class ControlPortLookup(ExposeRunOptions options, TimeProvider time) : ISharedSocketSender
{
    /// <summary>
    /// The whole exchange at most: the client's retransmissions (about 10 s) and one challenge round. A bound of
    /// its own so that a stream of socket errors cannot keep the loop turning.
    /// </summary>
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(25);

    private Socket? _socket;

    /// <summary>The control port (<see cref="LookupResult.Problem"/> null), or one line saying why there is none.</summary>
    public async Task<LookupResult> RunAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(options.Server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(options.Server.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        _socket = socket;
        byte[]? key = options.Key is { } text ? MessageAuthentication.DeriveKey(options.Identity.Network, text) : null;
        var client = new RendezvousClient(options.Server, this, time, key);
        var answered = new TaskCompletionSource<(ReplyKind Kind, byte[] Datagram)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new RegisterRequest(TransactionId.NewRandom(), options.Identity, []);
        client.Send(client.Encode(request.WriteTo), (kind, datagram) => answered.TrySetResult((kind, datagram.ToArray())),
            withCookie: cookie => client.Encode((request with { TransactionId = TransactionId.NewRandom(), Cookie = cookie }).WriteTo));

        await PumpAsync(socket, client, answered.Task, cancellationToken);
        if (!answered.Task.IsCompleted)
        {
            answered.TrySetResult((ReplyKind.NoAnswer, []));
        }

        var (kind, datagram) = await answered.Task;
        if (kind == ReplyKind.Success && RegistrationResponse.TryRead(datagram, out var registered))
        {
            // LIFETIME 0 frees the name at once; sent once, unanswered: a lost one expires with the registration.
            Send(options.Server, client.Encode(new RefreshRequest(TransactionId.NewRandom(), options.Identity, TimeSpan.Zero).WriteTo));
            return registered.ExposeControlPort is { } port
                ? new LookupResult(port, null)
                : new LookupResult(null, $"the server at {options.Server} does not offer public ports (its rendezvous announced no expose control port; the operator turns them on with Expose:AllowedPorts)");
        }

        return new LookupResult(null, kind switch
        {
            ReplyKind.NoAnswer => $"the rendezvous at {options.Server} did not answer (--server names the server's UDP rendezvous, HOST[:PORT], port {PeerRunOptions.DefaultServerPort} by default)",
            ReplyKind.Error when ErrorResponse.TryRead(datagram, out var error) => Registration.DescribeRegisterError(client, options.Identity, error, null),
            _ => $"the rendezvous at {options.Server} sent an answer this peer cannot read",
        });
    }

    /// <summary>Feeds answers and clock ticks to the client until it calls back, the run is stopped, or <see cref="MaxDuration"/> passed.</summary>
    private async Task PumpAsync(Socket socket, RendezvousClient client, Task answered, CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        long deadline = time.After(MaxDuration);
        var anyAddress = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!answered.IsCompleted && !cancellationToken.IsCancellationRequested && !time.HasPassed(deadline))
        {
            var wait = client.NextDue() ?? TimeSpan.Zero;
            // On the same clock as the client's retransmissions (a fake one in tests).
            using var due = new CancellationTokenSource(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(1), time);
            using var slice = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, due.Token);
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, anyAddress, slice.Token);
                client.TryHandleResponse((IPEndPoint)received.RemoteEndPoint, buffer.AsSpan(0, received.ReceivedBytes));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                client.OnTimer();
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error reported on the socket (some systems do for unconnected UDP): the retransmissions decide.
                client.OnTimer();
            }
        }
    }

    public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram)
    {
        try
        {
            _socket?.SendTo(datagram, SocketFlags.None, to);
        }
        catch (SocketException)
        {
            // Unreachable network and the like: the retransmissions, then "did not answer", say so.
        }
    }
}
