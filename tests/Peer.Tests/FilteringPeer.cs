using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Core.Stun;

namespace Punch.Peer.Tests;

/// <summary>
/// A peer played by hand (Core's <see cref="PunchSession"/> on a raw 127.0.0.1 socket) that drops
/// everything from one endpoint, as a port-restricted NAT drops a symmetric peer's main socket: its
/// public port toward us is not the one the server saw, so nothing we sent opened our filter for it.
/// Only port prediction's extra sockets can then make the path, which loopback otherwise never needs.
/// Answers pings and records every frame with the endpoint it came from.
/// </summary>
internal sealed class FilteringPeer : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[2048];
    private PunchSession? _punch;

    public FilteringPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = (int)Tick.TotalMilliseconds;
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }
    public ConcurrentQueue<(IPEndPoint From, PeerFrameType Type)> Frames { get; } = new();
    public PunchState? State => _punch?.State;

    /// <summary>Registers as <paramref name="name"/> with an endpoint-independent mapping, then serves until cancelled or <paramref name="limit"/> passes.</summary>
    public Task RunAsync(FakeRendezvous server, string name, Func<IPEndPoint?> filtered, PunchOptions options, TimeSpan limit, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(() =>
        {
            var register = new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity(PeerIdentity.DefaultNetwork, name), [EndPoint], NatMapping.EndpointIndependent);
            Send(server.EndPoint, buffer => register.WriteTo(buffer));
            var giveUpAt = DateTime.UtcNow + limit;
            while (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < giveUpAt)
            {
                if (TryReceive(out var from, out int length) && !from.Equals(filtered()))
                {
                    Handle(server, from, length, options);
                }

                if (_punch?.NextTimerDue() is { } due && due <= TimeSpan.Zero)
                {
                    Carry(_punch.OnTimer());
                }
            }
        }, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _socket.Dispose();

    private void Handle(FakeRendezvous server, IPEndPoint from, int length, PunchOptions options)
    {
        var datagram = _buffer.AsSpan(0, length);
        if (from.Equals(server.EndPoint))
        {
            if (_punch is null && Introduction.TryRead(datagram, out var introduction))
            {
                Send(from, buffer => new IntroductionAck(introduction.TransactionId, introduction.SessionId).WriteTo(buffer));
                var setup = new PunchSetup(introduction.SessionId, introduction.Controlling, introduction.Local, introduction.Remote,
                    introduction.Candidates, NatMapping.EndpointIndependent, introduction.RemoteMapping);
                _punch = new PunchSession(setup, options, TimeProvider.System);
            }

            return;
        }

        if (_punch is null)
        {
            return;
        }

        if (_punch.OnDatagram(from, datagram, out var actions))
        {
            Carry(actions);
        }
        else if (PeerFrame.TryRead(datagram, out var frame))
        {
            Frames.Enqueue((from, frame.Type));
            _punch.NoteActivity(from);
            if (frame.Type == PeerFrameType.Ping)
            {
                Send(from, buffer => (frame with { Type = PeerFrameType.Pong }).WriteTo(buffer));
            }
        }
    }

    private void Carry(IReadOnlyList<PunchAction> actions)
    {
        foreach (var send in actions.OfType<SendDatagram>())
        {
            _socket.SendTo(send.Datagram, send.To);
        }
    }

    private bool TryReceive(out IPEndPoint from, out int length)
    {
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        try
        {
            length = _socket.ReceiveFrom(_buffer, ref any);
            from = (IPEndPoint)any;
            return true;
        }
        catch (SocketException)
        {
            // The receive timeout: time to run the punch timers.
            from = (IPEndPoint)any;
            length = 0;
            return false;
        }
    }

    private void Send(IPEndPoint to, Func<byte[], int> write)
    {
        var buffer = new byte[StunConstants.MaxMessageLength + 64];
        int length = write(buffer);
        _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, to);
    }
}
