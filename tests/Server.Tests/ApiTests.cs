using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

public sealed class ApiTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<JsonElement> GetJsonAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
    }

    [Fact]
    public async Task Rest_endpoints_return_peers_sessions_events_and_stats()
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();
        var peers = new SimulatedPeers(app.Sink);
        await peers.RegisterAsync("api", "alice");
        await peers.RegisterAsync("api", "bob");
        var sessionId = await peers.ConnectDirectAsync("api", "alice", "bob");
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 9, "9 stored events");

        var peerList = await GetJsonAsync(client, "/api/peers");
        Assert.Equal(2, peerList.GetArrayLength());
        var alice = peerList.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "alice");
        Assert.True(alice.GetProperty("online").GetBoolean());
        Assert.Equal("api", alice.GetProperty("network").GetString());
        Assert.Equal(2, alice.GetProperty("candidates").GetArrayLength());

        var sessions = await GetJsonAsync(client, "/api/sessions");
        var session = Assert.Single(sessions.EnumerateArray());
        Assert.Equal(sessionId, session.GetProperty("id").GetString());
        Assert.Equal("Direct", session.GetProperty("state").GetString());
        Assert.Equal(42.5, session.GetProperty("timeToConnectMs").GetDouble());

        var detail = await GetJsonAsync(client, $"/api/sessions/{sessionId}");
        Assert.Equal("Direct", detail.GetProperty("session").GetProperty("state").GetString());
        var kinds = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("kind").GetString() ?? "").ToArray();
        Assert.Equal(["ConnectRequested", "Introduced", "Punching", "ChecksSummary", "PathUp", "ChecksSummary", "PathUp"], kinds);

        var firstPage = await GetJsonAsync(client, "/api/events?afterId=0&limit=4");
        Assert.Equal([1L, 2, 3, 4], firstPage.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        var rest = await GetJsonAsync(client, "/api/events?afterId=4&limit=1000");
        Assert.Equal([5L, 6, 7, 8, 9], rest.EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal(0, (await GetJsonAsync(client, "/api/events?afterId=9")).GetArrayLength());

        var stats = await GetJsonAsync(client, "/api/stats");
        Assert.Equal(2, stats.GetProperty("peersOnline").GetInt32());
        Assert.Equal(1, stats.GetProperty("sessionsDirect").GetInt32());
        Assert.Equal(9, stats.GetProperty("eventsStored").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("successRate").GetDouble());
        Assert.Equal(0, stats.GetProperty("rendezvous").GetProperty("eventsDropped").GetInt64());
    }

    [Theory]
    [InlineData("/api/events?afterId=abc")]
    [InlineData("/api/events?afterId=-1")]
    [InlineData("/api/events?afterId=99999999999999999999999")]
    [InlineData("/api/events?afterId=1.5")]
    [InlineData("/api/events?limit=0")]
    [InlineData("/api/events?limit=1001")]
    [InlineData("/api/events?limit=")]
    [InlineData("/api/sessions?limit=x")]
    public async Task Bad_query_values_get_400_problem_details(string url)
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(url).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.True(problem.GetProperty("errors").EnumerateObject().Any());
    }

    [Fact]
    public async Task Unknown_session_is_404_and_health_is_ok()
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();

        using var missing = await client.GetAsync("/api/sessions/nope").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var unknownRoute = await client.GetAsync("/api/nope").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NotFound, unknownRoute.StatusCode);
        Assert.Equal("application/problem+json", unknownRoute.Content.Headers.ContentType?.MediaType);
        using var unknownPage = await client.GetAsync("/no-such-page").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NotFound, unknownPage.StatusCode);
        Assert.Contains("Not found", await unknownPage.Content.ReadAsStringAsync().WaitAsync(Limit));

        using var health = await client.GetAsync("/healthz").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync().WaitAsync(Limit));
    }
}
