using System.Net;
using System.Net.Sockets;
using Punch.Core.Discovery;
using Punch.Core.Stun;

namespace Punch.Peer.Tests;

/// <summary>
/// The RFC 5780 side of <see cref="FakeRendezvous"/>, as the real server's Binding responder behaves: Binding
/// requests that are not a registered peer's mapping probe get XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN and
/// OTHER-ADDRESS, and CHANGE-REQUEST is honoured by answering from another socket. Without an alternate
/// address (like <c>Rendezvous:AlternatePort</c> alone) OTHER-ADDRESS is the probe port on 127.0.0.1 and a
/// change of address gets 420; with one, 127.0.0.2 (part of lo on Linux) answers on the same two ports.
/// </summary>
internal sealed class FakeBehaviourResponder : IDisposable
{
    public static readonly IPAddress AlternateAddress = IPAddress.Parse("127.0.0.2");
    private const int MaxResponseLength = 548;

    private readonly Socket[] _sockets; // [primary address: main, probe] then [alternate address: main, probe]
    private readonly IPEndPoint? _otherAddress;
    private readonly CancellationToken _stop;
    private readonly List<Task> _loops = [];
    private int _requests;

    /// <param name="announceOtherAddress">False: no OTHER-ADDRESS (a server without RFC 5780), so discovery stops at test I.</param>
    public FakeBehaviourResponder(Socket main, Socket probe, bool announceOtherAddress, bool alternateAddress, CancellationToken stop)
    {
        _stop = stop;
        var mainPort = ((IPEndPoint)main.LocalEndPoint!).Port;
        var probePort = ((IPEndPoint)probe.LocalEndPoint!).Port;
#pragma warning disable CA2000 // ownership passes to _sockets: Dispose closes the alternate-address sockets bound here
        _sockets = alternateAddress ? [main, probe, Bind(mainPort), Bind(probePort)] : [main, probe];
#pragma warning restore CA2000
        _otherAddress = !announceOtherAddress ? null : new IPEndPoint(alternateAddress ? AlternateAddress : IPAddress.Loopback, probePort);
        for (int i = 2; i < _sockets.Length; i++)
        {
            var socket = _sockets[i];
            _loops.Add(Task.Run(() => ReceiveLoopAsync(socket), CancellationToken.None));
        }
    }

    /// <summary>Swallow discovery requests without an answer, as a server or firewall that drops them.</summary>
    public bool Silent { get; set; }

    /// <summary>Discovery requests answered (or refused) so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Answers <paramref name="datagram"/> when it is a Binding request; false when it is something else.</summary>
    public bool TryAnswer(Socket arrivedOn, IPEndPoint from, byte[] datagram)
    {
        if (!BehaviourRequest.TryRead(datagram, out var request))
        {
            return false;
        }

        if (Silent)
        {
            return true;
        }

        Interlocked.Increment(ref _requests);
        int arrived = Array.IndexOf(_sockets, arrivedOn);
        var buffer = new byte[StunConstants.MaxMessageLength];
        if (request.Change.ChangeAddress && _sockets.Length == 2)
        {
            int refused = new BindingErrorResponse(request.TransactionId, BindingErrorResponse.UnknownAttribute, "no alternate address").WriteTo(buffer, MaxResponseLength);
            Send(arrivedOn, buffer.AsSpan(0, refused), from);
            return true;
        }

        int answering = arrived ^ (request.Change.ChangePort ? 1 : 0) ^ (request.Change.ChangeAddress ? 2 : 0);
        var socket = _sockets[answering];
        int length = new BehaviourResponse(request.TransactionId, from, (IPEndPoint)socket.LocalEndPoint!, _otherAddress).WriteTo(buffer, MaxResponseLength);
        Send(socket, buffer.AsSpan(0, length), from);
        return true;
    }

    public void Dispose()
    {
        for (int i = 2; i < _sockets.Length; i++)
        {
            _sockets[i].Dispose();
        }

        Task.WhenAll(_loops).Wait(TimeSpan.FromSeconds(2));
    }

    private static Socket Bind(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(AlternateAddress, port));
        return socket;
    }

    private static void Send(Socket socket, ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        try
        {
            socket.SendTo(datagram, SocketFlags.None, to);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoopAsync(Socket socket)
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop);
                TryAnswer(socket, (IPEndPoint)received.RemoteEndPoint, buffer[..received.ReceivedBytes]);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
