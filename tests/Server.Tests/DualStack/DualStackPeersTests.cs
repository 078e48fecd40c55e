using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Output;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.DualStack;

/// <summary>
/// The real server on "::" and two real peers: peers reach the server over either family, meet
/// directly over IPv6, and an IPv6-only and an IPv4-only peer meet through the relay. (The peers bind
/// loopback of their server's family: tests send only to 127.0.0.0/8 and [::1].)
/// </summary>
public sealed class DualStackPeersTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Rendezvous:BindAddress"] = "::" });
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint ServerOver(IPAddress loopback) => new(loopback, _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!.Port);

    [Fact]
    public async Task Two_peers_registered_over_IPv6_meet_directly_over_IPv6()
    {
        var alice = PeerUnderTest.Fast(ServerOver(IPAddress.IPv6Loopback), "alice", "bob", count: 3);
        var bob = PeerUnderTest.Fast(ServerOver(IPAddress.IPv6Loopback), "bob", "alice", count: 3);

        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        var alicePath = await alice.WaitForDirectPathAsync();
        var bobPath = await bob.WaitForDirectPathAsync();

        int[] exitCodes = await runs.WaitAsync(Limit);
        Assert.Equal([0, 0], exitCodes);
        Assert.True(alicePath.Remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, $"alice's direct path is {alicePath.Remote}");
        Assert.True(bobPath.Remote.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6, $"bob's direct path is {bobPath.Remote}");
        Assert.Equal(ServerOver(IPAddress.IPv6Loopback).Address, alice.All<RegisteredEvent>().Single().PublicEndPoint.Address);
    }

    [Fact]
    public async Task An_IPv6_only_peer_and_an_IPv4_only_peer_meet_through_the_relay_of_the_dual_stack_server()
    {
        var alice = PeerUnderTest.Fast(ServerOver(IPAddress.IPv6Loopback), "alice", "bob", count: 3);
        var bob = PeerUnderTest.Fast(ServerOver(IPAddress.Loopback), "bob", "alice", count: 3);

        var runs = Task.WhenAll(alice.ConnectAsync(), bob.ConnectAsync());
        var alicePath = await alice.WaitForAsync<PathEvent>();
        var bobPath = await bob.WaitForAsync<PathEvent>();
        int[] exitCodes = await runs.WaitAsync(Limit);

        Assert.Equal([0, 0], exitCodes);
        Assert.Equal(alicePath.SessionId, bobPath.SessionId);
        // No direct path exists between the families; every ping went through the relay.
        Assert.All(alice.All<PathEvent>().Concat(bob.All<PathEvent>()), p => Assert.Equal(PathKind.Relayed, p.Kind));
        Assert.Equal(3, alice.All<PingsDoneEvent>().Single().Summary.Received);
        Assert.Equal(IPAddress.IPv6Loopback, alice.All<RegisteredEvent>().Single().PublicEndPoint.Address);
        Assert.Equal(IPAddress.Loopback, bob.All<RegisteredEvent>().Single().PublicEndPoint.Address);
    }
}
