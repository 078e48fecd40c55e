using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// What peers report of their NAT in Register and Refresh (filtering, hairpinning, port preservation), over real
/// UDP to the real host: stored in SQLite, shown by the REST API with the NAT type's name, and the other side's
/// filtering carried in each introduction. A peer that reports nothing (an older one) stays unknown. A port the
/// peer's router mapped for it travels as a <c>mapped</c> candidate and reaches the other side's introduction
/// before the server-reflexive one.
/// </summary>
public sealed class NatReportTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private static readonly NatReport PortRestricted = new(NatBehaviour.AddressAndPortDependent, Hairpinning: false, PortPreserved: true);

    /// <summary>A port a router mapped for a peer (PCP, NAT-PMP, UPnP IGD): registered as a <c>mapped</c> candidate.</summary>
    private static readonly IPEndPoint MappedByRouter = IPEndPoint.Parse("203.0.113.7:40001");
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database);
        _ = _app.Services; // starts the host, binding the UDP port
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint Server => _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    [Fact]
    public void The_stored_filtering_values_are_the_ones_the_rendezvous_publishes()
    {
        Assert.Equal(NatFilterings.EndpointIndependent, RendezvousHandler.FilteringText(NatBehaviour.EndpointIndependent));
        Assert.Equal(NatFilterings.AddressDependent, RendezvousHandler.FilteringText(NatBehaviour.AddressDependent));
        Assert.Equal(NatFilterings.AddressAndPortDependent, RendezvousHandler.FilteringText(NatBehaviour.AddressAndPortDependent));
        Assert.Null(RendezvousHandler.FilteringText(NatBehaviour.Unknown));
    }

    [Theory]
    [InlineData(NatMappings.EndpointIndependent, NatFilterings.EndpointIndependent, NatTypes.FullCone)]
    [InlineData(NatMappings.EndpointIndependent, NatFilterings.AddressDependent, NatTypes.AddressRestrictedCone)]
    [InlineData(NatMappings.EndpointIndependent, NatFilterings.AddressAndPortDependent, NatTypes.PortRestrictedCone)]
    [InlineData(NatMappings.EndpointIndependent, null, NatTypes.Cone)]
    [InlineData(NatMappings.EndpointDependent, NatFilterings.AddressAndPortDependent, NatTypes.Symmetric)]
    [InlineData(NatMappings.EndpointDependent, null, NatTypes.Symmetric)]
    [InlineData(null, NatFilterings.EndpointIndependent, NatTypes.Unknown)]
    [InlineData(null, null, NatTypes.Unknown)]
    public void Nat_types_are_named_from_mapping_and_filtering(string? mapping, string? filtering, string expected) =>
        Assert.Equal(expected, NatTypes.Name(mapping, filtering));

    [Fact]
    public async Task Reported_behaviour_is_stored_shown_by_the_api_and_passed_on_in_introductions()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        using var carol = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("nat", "alice");
        var bobId = new PeerIdentity("nat", "bob");

        // Alice reports everything at once; Bob, like a peer whose discovery finished late, in a refresh; Carol is an older peer.
        await RegisterAsync(alice, new RegisterRequest(TransactionId.NewRandom(), aliceId, [alice.LocalEndPoint], NatMapping.EndpointIndependent, PortRestricted));
        await RegisterAsync(bob, new RegisterRequest(TransactionId.NewRandom(), bobId, [bob.LocalEndPoint], NatMapping.EndpointDependent));
        var bobReport = new RefreshRequest(TransactionId.NewRandom(), bobId, null, Nat: new NatReport(NatBehaviour.EndpointIndependent, Hairpinning: true));
        Assert.True(RegistrationResponse.TryRead(await bob.RequestAsync(bob.Build(b => bobReport.WriteTo(b))), out _));
        // A later refresh without a report forgets nothing.
        var plainRefresh = new RefreshRequest(TransactionId.NewRandom(), bobId, null);
        Assert.True(RegistrationResponse.TryRead(await bob.RequestAsync(bob.Build(b => plainRefresh.WriteTo(b))), out _));
        await RegisterAsync(carol, new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("nat", "carol"), [carol.LocalEndPoint]));

        await Eventually.WaitForAsync(() => _database.Scalar(
            $"SELECT COUNT(*) FROM Peers WHERE Name = 'alice' AND NatFiltering = '{NatFilterings.AddressAndPortDependent}' AND Hairpinning = 0 AND PortPreserved = 1"), n => n == 1, "alice's report in SQLite");
        await Eventually.WaitForAsync(() => _database.Scalar(
            $"SELECT COUNT(*) FROM Peers WHERE Name = 'bob' AND NatFiltering = '{NatFilterings.EndpointIndependent}' AND Hairpinning = 1 AND PortPreserved IS NULL"), n => n == 1, "bob's report in SQLite");
        await Eventually.WaitForAsync(() => _database.Scalar(
            "SELECT COUNT(*) FROM Peers WHERE Name = 'carol' AND NatFiltering IS NULL AND Hairpinning IS NULL AND PortPreserved IS NULL"), n => n == 1, "carol unknown");
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Refreshed' AND Peer = 'bob' AND NatFiltering = '{NatFilterings.EndpointIndependent}' AND Hairpinning = 1"));

        using var http = _app.CreateClient();
        var peers = await GetJsonAsync(http, "/api/peers");
        JsonElement Peer(string name) => peers.EnumerateArray().Single(p => p.GetProperty("name").GetString() == name);
        Assert.Equal(NatTypes.PortRestrictedCone, Peer("alice").GetProperty("natType").GetString());
        Assert.Equal(NatFilterings.AddressAndPortDependent, Peer("alice").GetProperty("natFiltering").GetString());
        Assert.False(Peer("alice").GetProperty("hairpinning").GetBoolean());
        Assert.True(Peer("alice").GetProperty("portPreserved").GetBoolean());
        Assert.Equal(NatTypes.Symmetric, Peer("bob").GetProperty("natType").GetString());
        Assert.Equal(JsonValueKind.Null, Peer("bob").GetProperty("portPreserved").ValueKind);
        Assert.Equal(NatTypes.Unknown, Peer("carol").GetProperty("natType").GetString());
        Assert.Equal(JsonValueKind.Null, Peer("carol").GetProperty("natFiltering").ValueKind);

        var connect = new ConnectRequest(TransactionId.NewRandom(), aliceId, "bob");
        Assert.True(ConnectResponse.TryRead(await alice.RequestAsync(alice.Build(b => connect.WriteTo(b))), out var connected));
        var toAlice = await ReceiveIntroductionAsync(alice);
        var toBob = await ReceiveIntroductionAsync(bob);
        Assert.Equal((NatMapping.EndpointDependent, NatBehaviour.EndpointIndependent), (toAlice.RemoteMapping, toAlice.RemoteFiltering));
        Assert.Equal((NatMapping.EndpointIndependent, NatBehaviour.AddressAndPortDependent), (toBob.RemoteMapping, toBob.RemoteFiltering));

        await Eventually.WaitForAsync(() => _database.Scalar(
            $"SELECT COUNT(*) FROM Sessions WHERE Id = '{connected.SessionId}' AND PeerA = 'alice' AND NatFilteringA = '{NatFilterings.AddressAndPortDependent}' AND NatFilteringB = '{NatFilterings.EndpointIndependent}'"),
            n => n == 1, "the session's NAT filtering pair");
        var session = (await GetJsonAsync(http, $"/api/sessions/{connected.SessionId}")).GetProperty("session");
        Assert.Equal(NatTypes.PortRestrictedCone, session.GetProperty("natTypeA").GetString());
        Assert.Equal(NatTypes.Symmetric, session.GetProperty("natTypeB").GetString());
    }

    [Fact]
    public async Task A_registered_mapped_candidate_reaches_the_other_peers_introduction_between_host_and_server_reflexive()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("map", "alice");
        var bobId = new PeerIdentity("map", "bob");
        // A LAN address other than the one the server sees (which it leaves out as the server-reflexive candidate's twin).
        await RegisterAsync(alice, new RegisterRequest(TransactionId.NewRandom(), aliceId, [IPEndPoint.Parse("192.168.1.2:4000")], MappedCandidates: [MappedByRouter]));
        await RegisterAsync(bob, new RegisterRequest(TransactionId.NewRandom(), bobId, [bob.LocalEndPoint]));

        var connect = new ConnectRequest(TransactionId.NewRandom(), bobId, "alice");
        Assert.True(ConnectResponse.TryRead(await bob.RequestAsync(bob.Build(b => connect.WriteTo(b))), out _));
        var toBob = await ReceiveIntroductionAsync(bob);

        // Same public address (both on loopback): host first, then the mapping, then what the server saw.
        Assert.Equal([CandidateKind.Host, CandidateKind.Mapped, CandidateKind.ServerReflexive], toBob.Candidates.Select(c => c.Kind));
        Assert.Equal(MappedByRouter, toBob.Candidates[1].EndPoint);

        // Stored with the registration: the API (and the dashboard's "port mapped" chip) shows it.
        using var http = _app.CreateClient();
        await Eventually.WaitForAsync(async () => (await GetJsonAsync(http, "/api/peers")).EnumerateArray()
            .Single(p => p.GetProperty("name").GetString() == "alice").GetProperty("candidates").EnumerateArray()
            .Count(c => c.GetString() == $"mapped {MappedByRouter}"), n => n == 1, "alice's mapped candidate in the API");
        Assert.DoesNotContain(toBob.Candidates, c => c.Kind == CandidateKind.Mapped && c.EndPoint.Equals(bob.LocalEndPoint));
    }

    [Fact]
    public void Behind_different_nats_the_mapped_candidate_goes_before_the_server_reflexive_one()
    {
        var now = DateTimeOffset.UnixEpoch;
        var alice = new RegisteredPeer(new PeerIdentity("map", "alice"), IPEndPoint.Parse("198.51.100.1:5000"), [IPEndPoint.Parse("192.168.1.2:4000")], now, now,
            MappedCandidates: [MappedByRouter]);
        var bob = new RegisteredPeer(new PeerIdentity("map", "bob"), IPEndPoint.Parse("198.51.100.9:6000"), [IPEndPoint.Parse("10.0.0.2:4000")], now, now);

        var toBob = IntroductionCandidates.Of(alice, bob);
        Assert.Equal([CandidateKind.Mapped, CandidateKind.ServerReflexive, CandidateKind.Host], toBob.Select(c => c.Kind));
        // A peer without a mapping offers none.
        Assert.DoesNotContain(IntroductionCandidates.Of(bob, alice), c => c.Kind == CandidateKind.Mapped);
    }

    private static async Task RegisterAsync(UdpTestClient client, RegisterRequest request) =>
        Assert.True(RegistrationResponse.TryRead(await client.RequestAsync(client.Build(b => request.WriteTo(b))), out _));

    /// <summary>The introduction is retransmitted until acknowledged, so one skipped while waiting for another answer comes again.</summary>
    private static async Task<Introduction> ReceiveIntroductionAsync(UdpTestClient client)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var datagram = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            if (Introduction.TryRead(datagram, out var introduction))
            {
                return introduction;
            }
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
    }
}
