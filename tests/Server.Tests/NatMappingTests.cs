using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

/// <summary>
/// The NAT mapping the rendezvous puts into events reaches the peer and session projections and the
/// REST API, with the candidates handed out and the reason a session failed.
/// </summary>
public sealed class NatMappingTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void The_stored_values_are_the_ones_the_rendezvous_publishes()
    {
        Assert.Equal(NatMappings.EndpointIndependent, RendezvousHandler.MappingText(NatMapping.EndpointIndependent));
        Assert.Equal(NatMappings.EndpointDependent, RendezvousHandler.MappingText(NatMapping.EndpointDependent));
        Assert.Null(RendezvousHandler.MappingText(NatMapping.Unknown));
    }

    [Fact]
    public async Task A_peers_mapping_arrives_in_a_refresh_and_survives_refreshes_without_one()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);

        await peers.RegisterAsync("lab", "alice");
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Name = 'alice' AND NatMapping IS NULL"), n => n == 1, "alice unknown");
        await peers.ReportNatMappingAsync("lab", "alice", NatMappings.EndpointDependent);
        await peers.ReportNatMappingAsync("lab", "alice", natMapping: null);
        await peers.RegisterAsync("lab", "bob", NatMappings.EndpointIndependent);
        await peers.ReportNatMappingAsync("lab", "bob", natMapping: null);

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 5, "5 stored events");
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Peers WHERE Name = 'alice' AND NatMapping = '{NatMappings.EndpointDependent}'"));
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Peers WHERE Name = 'bob' AND NatMapping = '{NatMappings.EndpointIndependent}'"));
        // The log keeps what each event said, nulls included.
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Refreshed' AND NatMapping = '{NatMappings.EndpointDependent}'"));
        Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Refreshed' AND NatMapping IS NULL"));
    }

    [Fact]
    public async Task A_session_keeps_the_nat_pair_and_candidates_of_its_introduction_and_the_failure_reason()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);
        await peers.RegisterAsync("lab", "alice", NatMappings.EndpointIndependent);
        await peers.RegisterAsync("lab", "bob", NatMappings.EndpointDependent);
        await peers.RegisterAsync("lab", "carol");

        var mixed = await peers.StartPunchingAsync("lab", "bob", "alice");
        var unknown = await peers.StartPunchingAsync("lab", "alice", "carol");
        await peers.FailAsync("lab", "alice", "carol", unknown, PunchStrategies.ImpossibleReason);

        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Failed'"), n => n == 1, "the failure");
        // A is the requester: bob's mapping first.
        Assert.Equal(1, _database.Scalar(
            $"SELECT COUNT(*) FROM Sessions WHERE Id = '{mixed}' AND PeerA = 'bob' " +
            $"AND NatMappingA = '{NatMappings.EndpointDependent}' AND NatMappingB = '{NatMappings.EndpointIndependent}' " +
            "AND Candidates LIKE 'bob srflx 203.0.113.%' AND Candidates LIKE '%\nalice host 198.18.%'"));
        Assert.Equal(1, _database.Scalar(
            $"SELECT COUNT(*) FROM Sessions WHERE Id = '{unknown}' AND State = 'Failed' " +
            $"AND NatMappingA = '{NatMappings.EndpointIndependent}' AND NatMappingB IS NULL " +
            $"AND FailureReason = '{PunchStrategies.ImpossibleReason}'"));
        Assert.Equal(1, _database.Scalar(
            $"SELECT COUNT(*) FROM Events WHERE SessionId = '{mixed}' AND Kind = 'Introduced' " +
            $"AND NatMapping = '{NatMappings.EndpointDependent}' AND OtherNatMapping = '{NatMappings.EndpointIndependent}'"));
    }

    [Fact]
    public async Task Rest_endpoints_carry_the_nat_fields()
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();
        var peers = new SimulatedPeers(app.Sink);
        await peers.RegisterAsync("api", "alice");
        await peers.ReportNatMappingAsync("api", "alice", NatMappings.EndpointDependent);
        await peers.RegisterAsync("api", "bob", NatMappings.EndpointDependent);
        await peers.RegisterAsync("api", "carol");
        var sessionId = await peers.StartPunchingAsync("api", "alice", "bob");
        await peers.FailAsync("api", "alice", "bob", sessionId, PunchStrategies.ImpossibleReason);
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 8, "8 stored events");

        var peerList = await GetJsonAsync(client, "/api/peers");
        string? MappingOf(string name) => peerList.EnumerateArray().Single(p => p.GetProperty("name").GetString() == name).GetProperty("natMapping").GetString();
        Assert.Equal(NatMappings.EndpointDependent, MappingOf("alice"));
        Assert.Equal(NatMappings.EndpointDependent, MappingOf("bob"));
        Assert.Null(MappingOf("carol"));

        var session = Assert.Single((await GetJsonAsync(client, "/api/sessions")).EnumerateArray());
        AssertSessionNatFields(session);

        var detail = await GetJsonAsync(client, $"/api/sessions/{sessionId}");
        AssertSessionNatFields(detail.GetProperty("session"));
        var introduced = detail.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "Introduced");
        Assert.Equal(NatMappings.EndpointDependent, introduced.GetProperty("natMapping").GetString());
        Assert.Equal(NatMappings.EndpointDependent, introduced.GetProperty("otherNatMapping").GetString());

        var refreshed = (await GetJsonAsync(client, "/api/events")).EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "Refreshed");
        Assert.Equal(NatMappings.EndpointDependent, refreshed.GetProperty("natMapping").GetString());

        var online = (await GetJsonAsync(client, "/api/stats")).GetProperty("onlineNatMappings");
        Assert.Equal(0, online.GetProperty("endpointIndependent").GetInt32());
        Assert.Equal(2, online.GetProperty("endpointDependent").GetInt32());
        Assert.Equal(1, online.GetProperty("unknown").GetInt32());
    }

    private static void AssertSessionNatFields(JsonElement session)
    {
        Assert.Equal("Failed", session.GetProperty("state").GetString());
        Assert.Equal(NatMappings.EndpointDependent, session.GetProperty("natMappingA").GetString());
        Assert.Equal(NatMappings.EndpointDependent, session.GetProperty("natMappingB").GetString());
        Assert.Equal(PunchStrategies.ImpossibleReason, session.GetProperty("failureReason").GetString());
        var candidates = session.GetProperty("candidates").EnumerateArray().Select(c => c.GetString() ?? "").ToArray();
        Assert.Equal(4, candidates.Length);
        Assert.Equal(2, candidates.Count(c => c.StartsWith("alice ", StringComparison.Ordinal)));
        Assert.Equal(2, candidates.Count(c => c.StartsWith("bob ", StringComparison.Ordinal)));
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
    }
}
