using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.RelayBench;

/// <summary>
/// A bare peer of the rendezvous protocol: one UDP socket connected to the server, which registers,
/// gets introduced and activates its end of the session's relay, nothing else (no punching, no
/// retransmission past a few tries): the least a client must do to have frames relayed.
/// </summary>
public sealed class RelayClient : IDisposable
{
    private const int Tries = 5;
    private static readonly TimeSpan TryTimeout = TimeSpan.FromSeconds(1);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[StunConstants.MaxMessageLength];

    public RelayClient(IPEndPoint server, PeerIdentity identity)
    {
        Identity = identity;
        // Big buffers: at full speed a burst must not overflow the kernel's queue before we read it.
        _socket.ReceiveBufferSize = 8 << 20;
        _socket.SendBufferSize = 8 << 20;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Connect(server);
    }

    public PeerIdentity Identity { get; }

    public Socket Socket => _socket;

    public Introduction Introduction { get; private set; }

    public ushort Channel => Introduction.RelayChannel ?? throw new InvalidOperationException("the server offered no relay for the session (Relay:Enabled?)");

    /// <summary>A first Register from a new socket is answered with an address challenge; the second, with its cookie, registers.</summary>
    public void Register()
    {
        var challenge = Request<AddressChallenge>(b => new RegisterRequest(TransactionId.NewRandom(), Identity, ImmutableArray<IPEndPoint>.Empty).WriteTo(b), AddressChallenge.TryRead);
        Request<RegistrationResponse>(b => new RegisterRequest(TransactionId.NewRandom(), Identity, ImmutableArray<IPEndPoint>.Empty, Cookie: challenge.Cookie).WriteTo(b), RegistrationResponse.TryRead);
    }

    /// <summary>Asks for <paramref name="peer"/>; the introduction itself arrives on both clients (<see cref="AwaitIntroduction"/>).</summary>
    public void Connect(string peer)
    {
        var request = Build(b => new ConnectRequest(TransactionId.NewRandom(), Identity, peer).WriteTo(b));
        _socket.Send(request);
    }

    /// <summary>Waits for the introduction (the connect response may come first) and acknowledges it.</summary>
    public void AwaitIntroduction()
    {
        Introduction = Receive<Introduction>(Introduction.TryRead, TimeSpan.FromSeconds(Tries));
        _socket.Send(Build(b => new IntroductionAck(Introduction.TransactionId, Introduction.SessionId).WriteTo(b)));
    }

    /// <summary>RelayActivate signed with this side's session password: from now on the server forwards our frames to the other side.</summary>
    public void Activate() => Request<RelayActivateResponse>(
        b => new RelayActivateRequest(TransactionId.NewRandom(), Introduction.SessionId, Introduction.Local.UsernameFragment).WriteTo(b, ConnectivityCheck.PasswordKey(Introduction.Local.Password)),
        RelayActivateResponse.TryRead);

    public void Dispose() => _socket.Dispose();

    private delegate bool Reader<T>(ReadOnlySpan<byte> datagram, out T value);

    private byte[] Build(Func<byte[], int> write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        return buffer[..write(buffer)];
    }

    /// <summary>Sends and waits for the answer, resending on silence; gives up after <see cref="Tries"/> tries.</summary>
    private T Request<T>(Func<byte[], int> write, Reader<T> read)
    {
        var request = Build(write);
        for (int attempt = 0; attempt < Tries; attempt++)
        {
            _socket.Send(request);
            if (TryReceive(read, TryTimeout, out T value))
            {
                return value;
            }
        }

        throw new TimeoutException($"{Identity}: the server did not answer {Tries} tries");
    }

    private T Receive<T>(Reader<T> read, TimeSpan limit) =>
        TryReceive(read, limit, out T value) ? value : throw new TimeoutException($"{Identity}: the expected message did not arrive");

    /// <summary>Reads until a datagram <paramref name="read"/> accepts, skipping others (a connect response, say); bounded by <paramref name="limit"/>.</summary>
    private bool TryReceive<T>(Reader<T> read, TimeSpan limit, out T value)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            _socket.ReceiveTimeout = Math.Max(1, (int)(deadline - DateTime.UtcNow).TotalMilliseconds);
            try
            {
                int length = _socket.Receive(_buffer);
                if (read(_buffer.AsSpan(0, length), out value))
                {
                    return true;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                break;
            }
        }

        value = default!;
        return false;
    }
}
