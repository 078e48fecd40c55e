using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>A raw UDP socket on loopback that speaks to the rendezvous with hand-built datagrams.</summary>
public sealed class UdpTestClient : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _socket;
    private readonly IPEndPoint _server;

    /// <param name="bindAddress">Another loopback address (127.0.0.2, ...) makes a distinct source address for per-address limits; Linux routes all of 127/8 to lo. IPv6Loopback makes an IPv6 client.</param>
    public UdpTestClient(IPEndPoint server, IPAddress? bindAddress = null)
    {
        _server = server;
        bindAddress ??= IPAddress.Loopback;
        _socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(bindAddress, 0));
    }

    private IPEndPoint AnySender => _socket.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _server);

    public byte[] Build(Func<byte[], int> write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        return buffer[..write(buffer)];
    }

    public async Task<byte[]> ReceiveAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[2048];
        using var cancel = new CancellationTokenSource(timeout ?? ReceiveTimeout);
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, AnySender, cancel.Token);
        return buffer[..result.ReceivedBytes];
    }

    /// <summary>Like <see cref="ReceiveAsync"/>, with the sender's endpoint (answers to CHANGE-REQUEST come from elsewhere).</summary>
    public async Task<(byte[] Datagram, IPEndPoint From)> ReceiveFromAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[2048];
        using var cancel = new CancellationTokenSource(timeout ?? ReceiveTimeout);
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, AnySender, cancel.Token);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    /// <summary>
    /// Sends and waits for the datagram that answers this transaction (skipping e.g. introductions). An
    /// address challenge to an unsigned Register is answered as a peer does: the same request again with the
    /// cookie; <paramref name="withCookie"/> does that for other requests (a signed one, a RelayActivate).
    /// </summary>
    public async Task<byte[]> RequestAsync(byte[] request, Func<AddressCookie, byte[]>? withCookie = null)
    {
        var reply = await RequestOnceAsync(request);
        withCookie ??= UnsignedRegisterWithCookie(request);
        return withCookie is not null && AddressChallenge.TryRead(reply, out var challenge)
            ? await RequestOnceAsync(withCookie(challenge.Cookie))
            : reply;
    }

    private Func<AddressCookie, byte[]>? UnsignedRegisterWithCookie(byte[] request) =>
        RegisterRequest.TryRead(request, out var register) && StunMessage.TryParse(request, out var message)
            && !message.TryGetAttribute(StunAttributeType.MessageIntegritySha256, out _)
            ? cookie => Build(b => (register with { TransactionId = TransactionId.NewRandom(), Cookie = cookie }).WriteTo(b))
            : null;

    /// <summary>Sends and waits for the answer to exactly this transaction, challenge or not.</summary>
    public async Task<byte[]> RequestOnceAsync(byte[] request)
    {
        var transactionId = TransactionId.Read(request.AsSpan(8, StunConstants.TransactionIdLength));
        Send(request);
        var deadline = DateTime.UtcNow + ReceiveTimeout;
        while (DateTime.UtcNow < deadline)
        {
            var reply = await ReceiveAsync(deadline - DateTime.UtcNow);
            if (StunMessage.TryParse(reply, out var message) && message.TransactionId == transactionId)
            {
                return reply;
            }
        }

        throw new TimeoutException("no answer to the request");
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> StaysQuietAsync(TimeSpan quiet)
    {
        try
        {
            await ReceiveAsync(quiet);
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public void Dispose() => _socket.Dispose();
}
