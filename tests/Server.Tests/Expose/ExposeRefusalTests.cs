using System.Net;
using System.Net.Sockets;
using Punch.Core.Expose;
using Punch.Core.Protocol;

namespace Punch.Server.Tests.Expose;

/// <summary>A port the server must not give: not allowed, in use, or asked for without the network's key.</summary>
public sealed class ExposeRefusalTests() : ExposeHost(new Dictionary<string, string?>
{
    ["Expose:AllowedPorts"] = "1024-60000",
    ["Networks:secure:Key"] = "correct horse battery staple",
})
{
    [Fact]
    public async Task A_port_outside_the_allowed_ports_is_refused_with_the_reason()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        var peer = StartPeer("web", local.EndPoint, 61000);

        Assert.Equal(1, await peer.Run.WaitAsync(Timeout));
        var failed = await peer.WaitForLineAsync("failed");
        Assert.Equal("the server refused to expose port 61000: port 61000 is not allowed on this server (Expose:AllowedPorts is 1024-60000)", failed.GetProperty("reason").GetString());
        Assert.True(await IsRefusedAsync(61000));
        Assert.Empty(Snapshot.Services);
        await EventCountAsync("Rejected", "web");
    }

    [Fact]
    public async Task A_port_another_program_holds_is_refused_as_in_use()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        int port = ((IPEndPoint)squatter.LocalEndpoint).Port;
        var peer = StartPeer("web", StartLocal(LocalService.Mode.Echo).EndPoint, port);

        Assert.Equal(1, await peer.Run.WaitAsync(Timeout));
        Assert.Contains($"port {port} is in use on the server", (await peer.WaitForLineAsync("failed")).GetProperty("reason").GetString());
        Assert.Empty(Snapshot.Services);
    }

    [Fact]
    public async Task A_port_another_service_holds_is_refused_and_the_holder_keeps_it()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        await ExposeAsync("first", local.EndPoint, port);

        var second = StartPeer("second", local.EndPoint, port);

        Assert.Equal(1, await second.Run.WaitAsync(Timeout));
        Assert.Contains($"port {port} is held by a live service", (await second.WaitForLineAsync("failed")).GetProperty("reason").GetString());
        Assert.Equal("first", Assert.Single(Snapshot.Services).Peer);
    }

    [Theory]
    [InlineData(null, "no key")]
    [InlineData("a different key of length", "wrong key")]
    public async Task A_keyed_network_refuses_a_missing_or_wrong_key(string? key, string reason)
    {
        int port = FreePort();
        var peer = StartPeer("web", StartLocal(LocalService.Mode.Echo).EndPoint, port, network: "secure", key: key);

        Assert.Equal(1, await peer.Run.WaitAsync(Timeout));
        Assert.Equal($"the server refused our key for network secure: {reason}", (await peer.WaitForLineAsync("failed")).GetProperty("reason").GetString());
        Assert.True(await IsRefusedAsync(port));
        await EventCountAsync("Rejected", "web");
    }

    [Fact]
    public async Task A_keyed_network_accepts_the_right_key()
    {
        int port = FreePort();
        var peer = StartPeer("web", StartLocal(LocalService.Mode.Echo).EndPoint, port, network: "secure", key: "correct horse battery staple");

        await peer.WaitForExposedAsync();
        Assert.Equal("secure", Assert.Single(Snapshot.Services).Network);
    }

    [Fact]
    public async Task A_replayed_registration_is_refused()
    {
        var key = MessageAuthentication.DeriveKey("secure", "correct horse battery staple");
        var request = new ExposeRegisterRequest(Core.Stun.TransactionId.NewRandom(), new PeerIdentity("secure", "web"), (ushort)FreePort(), "x");
        var bytes = new byte[StunStream.MaxMessageLength];
        int length = request.WriteTo(bytes, new MessageSignature(key, DateTimeOffset.UtcNow));
        var signed = bytes[..length];

        var first = await SendRawAsync(signed);
        var replay = await SendRawAsync(signed);

        Assert.True(ExposeRegisterResponse.TryRead(first, out _));
        Assert.True(ErrorResponse.TryRead(replay, out var refused));
        Assert.Equal((PunchErrorCode.Unauthenticated, "replayed"), (refused.Code, refused.Reason));
    }

    /// <summary>Sends one raw message on a new control connection and returns the answer (the connection stays open until the test ends).</summary>
    private async Task<byte[]> SendRawAsync(byte[] message)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _opened.Add(socket);
        await socket.ConnectAsync(Control).WaitAsync(Timeout);
        using var channel = new ControlChannel(new NetworkStream(socket, ownsSocket: false), Timeout);
        await channel.SendAsync(d => { message.CopyTo(d); return message.Length; }, CancellationToken.None);
        return (await channel.ReadAsync(CancellationToken.None).WaitAsync(Timeout)).ToArray();
    }

    private readonly List<Socket> _opened = [];

    public override async Task DisposeAsync()
    {
        foreach (var socket in _opened)
        {
            socket.Dispose();
        }

        await base.DisposeAsync();
    }
}
