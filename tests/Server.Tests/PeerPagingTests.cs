using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

/// <summary><c>GET /api/peers</c> answers one bounded page (total in X-Total-Count) and searches name and network on the server.</summary>
public sealed class PeerPagingTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<(string[] Names, long Total)> GetPageAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
        var names = body.EnumerateArray().Select(p => $"{p.GetProperty("network").GetString()}/{p.GetProperty("name").GetString()}").ToArray();
        Assert.True(response.Headers.TryGetValues("X-Total-Count", out var total), "X-Total-Count header");
        return (names, long.Parse(Assert.Single(total), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<PunchAppFactory> StartWithPeersAsync(TempDatabase database, params (string Network, string Name)[] peers)
    {
        var app = new PunchAppFactory(database);
        var simulated = new SimulatedPeers(app.Sink);
        foreach (var (network, name) in peers)
        {
            await simulated.RegisterAsync(network, name);
        }

        await Eventually.WaitForAsync(() => database.Scalar("SELECT COUNT(*) FROM Peers"), n => n == peers.Length, $"{peers.Length} stored peers");
        return app;
    }

    [Fact]
    public async Task Pages_are_bounded_ordered_and_together_hold_every_peer_once()
    {
        var registered = Enumerable.Range(1, 7).Select(i => ("paging", $"p-{i:00}")).Append(("other", "q-01")).Append(("other", "q-02")).ToArray();
        await using var app = await StartWithPeersAsync(_database, registered);
        using var client = app.CreateClient();

        var first = await GetPageAsync(client, "/api/peers?pageSize=4");
        Assert.Equal(9, first.Total);
        Assert.Equal(["other/q-01", "other/q-02", "paging/p-01", "paging/p-02"], first.Names);
        var second = await GetPageAsync(client, "/api/peers?page=2&pageSize=4");
        Assert.Equal(["paging/p-03", "paging/p-04", "paging/p-05", "paging/p-06"], second.Names);
        var last = await GetPageAsync(client, "/api/peers?page=3&pageSize=4");
        Assert.Equal(["paging/p-07"], last.Names);
        var beyond = await GetPageAsync(client, "/api/peers?page=4&pageSize=4");
        Assert.Empty(beyond.Names);
        Assert.Equal(9, beyond.Total);
    }

    [Fact]
    public async Task Search_matches_name_or_network_case_insensitively_and_an_underscore_means_itself()
    {
        await using var app = await StartWithPeersAsync(_database,
            ("lab", "alice"), ("lab", "bob"), ("Alpha-net", "carol"), ("lab", "a_b"), ("lab", "axb"));
        using var client = app.CreateClient();

        var byName = await GetPageAsync(client, "/api/peers?search=ALI");
        Assert.Equal(["lab/alice"], byName.Names);
        Assert.Equal(1, byName.Total);
        var byNetwork = await GetPageAsync(client, "/api/peers?search=alpha");
        Assert.Equal(["Alpha-net/carol"], byNetwork.Names);
        // '_' is a LIKE wildcard: unescaped, "a_b" would match "axb" too.
        Assert.Equal(["lab/a_b"], (await GetPageAsync(client, "/api/peers?search=a_b")).Names);
        var none = await GetPageAsync(client, "/api/peers?search=zzz");
        Assert.Empty(none.Names);
        Assert.Equal(0, none.Total);
        var pagedSearch = await GetPageAsync(client, "/api/peers?search=lab&pageSize=2&page=2");
        Assert.Equal(["lab/axb", "lab/bob"], pagedSearch.Names);
        Assert.Equal(4, pagedSearch.Total);
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1001", "pageSize")]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("search=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "search")]
    public async Task Out_of_range_paging_is_a_validation_problem(string query, string field)
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();
        using var response = await client.GetAsync($"/api/peers?{query}").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors names {field}");
    }
}
