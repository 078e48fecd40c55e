using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Peer.Expose;

namespace Punch.Peer.Tests;

/// <summary><c>punch expose --public-port</c> asks the rendezvous for the control port: one registration, read, then given up at once.</summary>
public sealed class ControlPortLookupTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_announced_control_port_is_read_and_the_registration_given_up_at_once()
    {
        using var rendezvous = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rendezvous.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var lookup = new ControlPortLookup(Options((IPEndPoint)rendezvous.LocalEndPoint!), TimeProvider.System).RunAsync(CancellationToken.None);

        var buffer = new byte[2048];
        var register = await rendezvous.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Timeout);
        Assert.True(RegisterRequest.TryRead(buffer.AsSpan(0, register.ReceivedBytes), out var request));
        Assert.Equal(new PeerIdentity("home", "web"), request.Peer);
        var answer = new byte[256];
        int length = new RegistrationResponse(PunchMethod.Register, request.TransactionId, (IPEndPoint)register.RemoteEndPoint, TimeSpan.FromSeconds(30), ExposeControlPort: 7001).WriteTo(answer);
        await rendezvous.SendToAsync(answer.AsMemory(0, length), register.RemoteEndPoint);
        var goodbye = await rendezvous.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Timeout);

        Assert.Equal(new LookupResult(7001, null), await lookup.WaitAsync(Timeout));
        Assert.True(RefreshRequest.TryRead(buffer.AsSpan(0, goodbye.ReceivedBytes), out var refresh));
        Assert.Equal((request.Peer, TimeSpan.Zero), (refresh.Peer, refresh.Lifetime));
        Assert.Equal(register.RemoteEndPoint, goodbye.RemoteEndPoint);
    }

    [Fact]
    public async Task A_silent_rendezvous_is_retransmitted_to_then_named_in_one_line()
    {
        using var rendezvous = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rendezvous.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = (IPEndPoint)rendezvous.LocalEndPoint!;
        var time = new FakeTimeProvider();
        var lookup = Task.Run(() => new ControlPortLookup(Options(server), time).RunAsync(CancellationToken.None));

        // The fake clock moves in steps of 50 ms, bounded in count and in real time.
        for (int step = 0; step < 1000 && !lookup.IsCompleted; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(2);
        }

        var result = await lookup.WaitAsync(Timeout);
        Assert.Null(result.ControlPort);
        Assert.Equal($"the rendezvous at {server} did not answer (--server names the server's UDP rendezvous, HOST[:PORT], port 3478 by default)", result.Problem);
        Assert.Equal(7, Drain(rendezvous));
    }

    private static int Drain(Socket socket)
    {
        int count = 0;
        var buffer = new byte[2048];
        while (socket.Available > 0 && count < 100)
        {
            int received = socket.Receive(buffer);
            Assert.True(RegisterRequest.TryRead(buffer.AsSpan(0, received), out _));
            count++;
        }

        return count;
    }

    private static ExposeRunOptions Options(IPEndPoint rendezvous) => new()
    {
        Server = rendezvous,
        Identity = new PeerIdentity("home", "web"),
        LocalHost = "127.0.0.1",
        LocalPort = 8080,
        PublicPort = 18080,
    };
}
