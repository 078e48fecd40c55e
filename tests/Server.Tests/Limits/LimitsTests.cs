using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Tests.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Limits;

/// <summary>Each cap of the rendezvous over real UDP: refused with its own code and a short reason, and counted.</summary>
public sealed class LimitsTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static IPAddress Loopback(int last) => IPAddress.Parse($"127.0.0.{last}");

    [Fact]
    public async Task Peers_per_address_and_per_network_are_capped_and_each_refusal_is_counted()
    {
        await using var app = Start(new() { ["Rendezvous:MaxPeersPerAddress"] = "2", ["Rendezvous:MaxPeersPerNetwork"] = "3" });
        var server = ServerOf(app);

        using var sameAddress = new UdpTestClient(server, Loopback(1));
        Assert.True(RegistrationResponse.TryRead(await RegisterAsync(sameAddress, "home", "a"), out _));
        Assert.True(RegistrationResponse.TryRead(await RegisterAsync(sameAddress, "home", "b"), out _));
        AssertRefused(await RegisterAsync(sameAddress, "home", "c"), LimitRefusal.QuotaReached, "too many peers from this address");

        var clients = Enumerable.Range(2, 4).Select(i => new UdpTestClient(server, Loopback(i))).ToList();
        try
        {
            Assert.True(RegistrationResponse.TryRead(await RegisterAsync(clients[0], "small", "p0"), out _));
            Assert.True(RegistrationResponse.TryRead(await RegisterAsync(clients[1], "small", "p1"), out _));
            Assert.True(RegistrationResponse.TryRead(await RegisterAsync(clients[2], "small", "p2"), out _));
            AssertRefused(await RegisterAsync(clients[3], "small", "p3"), LimitRefusal.QuotaReached, "network at its peer limit");
            // Another network is not affected by a full one.
            Assert.True(RegistrationResponse.TryRead(await RegisterAsync(clients[3], "other", "p3"), out _));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        var limits = Stats(app).Limits;
        Assert.Equal(1, limits.PeersPerAddressRefused);
        Assert.Equal(1, limits.PeersPerNetworkRefused);
    }

    [Fact]
    public async Task Connects_waiting_for_an_absent_target_are_capped_per_peer_and_in_all_but_a_present_target_is_still_introduced()
    {
        await using var app = Start(new() { ["Rendezvous:MaxPendingConnectsPerPeer"] = "2", ["Rendezvous:MaxPendingConnects"] = "3" });
        var server = ServerOf(app);
        using var alice = new UdpTestClient(server, Loopback(1));
        using var bob = new UdpTestClient(server, Loopback(2));
        using var carol = new UdpTestClient(server, Loopback(3));
        await RegisterAsync(alice, "default", "alice");
        await RegisterAsync(bob, "default", "bob");
        await RegisterAsync(carol, "default", "carol");

        Assert.Equal(ConnectStatus.WaitingForPeer, AssertConnected(await ConnectAsync(alice, "alice", "ghost1")));
        Assert.Equal(ConnectStatus.WaitingForPeer, AssertConnected(await ConnectAsync(alice, "alice", "ghost2")));
        AssertRefused(await ConnectAsync(alice, "alice", "ghost3"), LimitRefusal.QuotaReached, "too many of your connects waiting");
        Assert.Equal(ConnectStatus.WaitingForPeer, AssertConnected(await ConnectAsync(bob, "bob", "ghost4")));
        AssertRefused(await ConnectAsync(carol, "carol", "ghost5"), LimitRefusal.InsufficientCapacity, "too many connects waiting; try later");
        // A connect to a registered peer holds nothing while it waits: it is introduced at once.
        Assert.Equal(ConnectStatus.Introducing, AssertConnected(await ConnectAsync(alice, "alice", "carol")));

        var limits = Stats(app).Limits;
        Assert.Equal(1, limits.PendingConnectsPerPeerRefused);
        Assert.Equal(1, limits.PendingConnectsRefused);
    }

    [Fact]
    public async Task A_source_over_its_rate_is_dropped_before_parsing_other_sources_are_served_and_the_api_shows_the_count()
    {
        await using var app = Start(new() { ["Rendezvous:RateLimit:PacketsPerSecond"] = "1", ["Rendezvous:RateLimit:Burst"] = "10" });
        var server = ServerOf(app);
        using var flooder = new UdpTestClient(server, Loopback(2));
        using var other = new UdpTestClient(server, Loopback(3));
        const int sent = 60;
        for (int i = 0; i < sent; i++)
        {
            flooder.Send(flooder.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b)));
        }

        int answered = 0;
        while (!await flooder.StaysQuietAsync(TimeSpan.FromMilliseconds(300)) && answered < sent)
        {
            answered++;
        }

        // The burst, plus at most a token or two that refilled (1/s) while the datagrams were in flight.
        Assert.InRange(answered, 10, 12);
        Assert.True(BindingResponse.TryRead(await other.RequestAsync(other.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b))), out _));
        Assert.Equal(sent - answered, Stats(app).Limits.RateLimited);

        using var http = app.CreateClient();
        var stats = await http.GetFromJsonAsync<JsonElement>("/api/stats").WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(sent - answered, stats.GetProperty("rendezvous").GetProperty("limits").GetProperty("rateLimited").GetInt64());
    }

    [Theory]
    [InlineData("Rendezvous:RateLimit:Burst", "0")]
    [InlineData("Rendezvous:RateLimit:PacketsPerSecond", "-1")]
    [InlineData("Rendezvous:RateLimit:IdleTimeout", "00:00:00")]
    [InlineData("Rendezvous:RateLimit:MaxSources", "8")]
    [InlineData("Rendezvous:MaxPeersPerNetwork", "0")]
    [InlineData("Rendezvous:MaxPeersPerAddress", "0")]
    [InlineData("Rendezvous:MaxPendingConnectsPerPeer", "0")]
    [InlineData("Rendezvous:MaxPendingConnects", "-5")]
    [InlineData("Rendezvous:MaxRelayAllocations", "0")]
    public async Task An_invalid_limit_fails_the_start_naming_the_key(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [key] = value });

        string error = await app.StartupFailureAsync();

        Assert.Contains(key, error, StringComparison.Ordinal);
    }

    private PunchAppFactory Start(Dictionary<string, string?> settings)
    {
        var app = new PunchAppFactory(_database, settings);
        _ = app.Services; // starts the host, binding the UDP port
        return app;
    }

    private static IPEndPoint ServerOf(PunchAppFactory app) => app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    private static RendezvousCounters Stats(PunchAppFactory app) => app.Services.GetRequiredService<RendezvousStats>().Snapshot();

    private static Task<byte[]> RegisterAsync(UdpTestClient client, string network, string name) =>
        // With the mapping a real peer reports, so introductions need not wait for it (Rendezvous:MappingGrace).
        client.RequestAsync(client.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity(network, name), [], NatMapping.EndpointIndependent).WriteTo(b)));

    private static Task<byte[]> ConnectAsync(UdpTestClient client, string name, string target) =>
        client.RequestAsync(client.Build(b => new ConnectRequest(TransactionId.NewRandom(), new PeerIdentity("default", name), target).WriteTo(b)));

    private static ConnectStatus AssertConnected(byte[] reply)
    {
        Assert.True(ConnectResponse.TryRead(reply, out var response), ErrorResponse.TryRead(reply, out var error) ? $"{error.Code} {error.Reason}" : "not a connect response");
        return response.Status;
    }

    private static void AssertRefused(byte[] reply, int code, string reason)
    {
        Assert.True(ErrorResponse.TryRead(reply, out var error), "expected an error response");
        Assert.Equal(code, error.Code);
        Assert.Equal(reason, error.Reason);
    }
}
