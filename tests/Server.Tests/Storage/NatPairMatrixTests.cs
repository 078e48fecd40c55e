using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Punch.Server.Storage;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Storage;

/// <summary>
/// The NAT pair matrix from sessions in the real SQLite file: each unordered pair of NAT types is one
/// cell with its sessions' outcomes and median time to the direct path; a cell's sessions are one query away.
/// </summary>
public sealed class NatPairMatrixTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Sessions_are_counted_per_unordered_pair_of_nat_types_with_outcomes_and_median_time_to_direct()
    {
        await using var app = new PunchAppFactory(_database);
        var peers = new SimulatedPeers(app.Sink);
        await RegisterAsync(peers, "fc1", NatMappings.EndpointIndependent, NatFilterings.EndpointIndependent);
        await RegisterAsync(peers, "fc2", NatMappings.EndpointIndependent, NatFilterings.EndpointIndependent);
        await RegisterAsync(peers, "pr", NatMappings.EndpointIndependent, NatFilterings.AddressAndPortDependent);
        await RegisterAsync(peers, "sy1", NatMappings.EndpointDependent, NatFilterings.AddressAndPortDependent);
        await RegisterAsync(peers, "sy2", NatMappings.EndpointDependent, null);
        await peers.RegisterAsync("m", "new");

        var coneToSymmetric = await DirectAsync(peers, "fc1", "sy1", elapsedMs: 40);
        var symmetricToCone = await DirectAsync(peers, "sy1", "fc2", elapsedMs: 60); // the other way round: the same cell
        await DirectAsync(peers, "fc1", "fc2", elapsedMs: 20);
        var relayed = await peers.StartPunchingAsync("m", "sy1", "sy2");
        await peers.CompleteRelayedAsync("m", "sy1", "sy2", relayed);
        var failed = await peers.StartPunchingAsync("m", "pr", "sy2");
        await peers.FailAsync("m", "pr", "sy2", failed, "no answer");
        await peers.StartPunchingAsync("m", "new", "fc1");
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind IN ('PathUp', 'Failed')"), n => n == 9, "the outcomes stored");

        using var http = app.CreateClient();
        var matrix = (await http.GetFromJsonAsync<NatPairMatrix>("/api/nat-pairs", Json))!;

        Assert.Equal([NatTypes.FullCone, NatTypes.PortRestrictedCone, NatTypes.Symmetric, NatTypes.Unknown], matrix.Types);
        Assert.Equal((6, false), (matrix.SessionsCounted, matrix.Capped));
        var mixed = matrix.Cell(NatTypes.Symmetric, NatTypes.FullCone)!;
        Assert.Equal((NatTypes.FullCone, NatTypes.Symmetric, 2, 2, 0, 0), (mixed.TypeA, mixed.TypeB, mixed.Sessions, mixed.Direct, mixed.Relayed, mixed.Failed));
        Assert.Equal(50, mixed.MedianTimeToDirectMs);
        Assert.Equal(20, matrix.Cell(NatTypes.FullCone, NatTypes.FullCone)!.MedianTimeToDirectMs);
        var symmetricPair = matrix.Cell(NatTypes.Symmetric, NatTypes.Symmetric)!;
        Assert.Equal((1, 0, 1, 0, 100.0, null), (symmetricPair.Sessions, symmetricPair.Direct, symmetricPair.Relayed, symmetricPair.Failed, symmetricPair.RelayedPercent, symmetricPair.MedianTimeToDirectMs));
        var hopeless = matrix.Cell(NatTypes.PortRestrictedCone, NatTypes.Symmetric)!;
        Assert.Equal((1, 1, 100.0), (hopeless.Sessions, hopeless.Failed, hopeless.FailedPercent));
        var punching = matrix.Cell(NatTypes.Unknown, NatTypes.FullCone)!;
        Assert.Equal((1, 0, 0, 0), (punching.Sessions, punching.Direct, punching.Relayed, punching.Failed));
        Assert.Null(matrix.Cell(NatTypes.PortRestrictedCone, NatTypes.FullCone));

        // A cell's click-through: that pair's sessions, either way round, and no other.
        var sessions = await http.GetFromJsonAsync<List<JsonElement>>("/api/sessions?natA=symmetric&natB=full%20cone", Json);
        Assert.Equal(new[] { coneToSymmetric, symmetricToCone }.Order(), sessions!.Select(s => s.GetProperty("id").GetString()!).Order());
    }

    [Theory]
    [InlineData("natA=symmetric")]
    [InlineData("natA=symmetric&natB=hypercone")]
    public async Task A_bad_nat_pair_filter_is_a_validation_problem(string query)
    {
        await using var app = new PunchAppFactory(_database);
        using var http = app.CreateClient();

        using var response = await http.GetAsync($"/api/sessions?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("nat", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sql_filter_gives_every_mapping_and_filtering_the_type_the_dashboard_names()
    {
        string?[] mappings = [null, NatMappings.EndpointIndependent, NatMappings.EndpointDependent, "something else"];
        string?[] filterings = [null, NatFilterings.EndpointIndependent, NatFilterings.AddressDependent, NatFilterings.AddressAndPortDependent, "something else"];

        foreach (var mapping in mappings)
        {
            foreach (var filtering in filterings)
            {
                var matching = NatPairQueries.TypeOrder.Where(type => NatTypeFilter.Of(type).Compile()(mapping, filtering)).ToList();
                Assert.Equal([NatTypes.Name(mapping, filtering)], matching);
            }
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task RegisterAsync(SimulatedPeers peers, string name, string mapping, string? filtering)
    {
        await peers.RegisterAsync("m", name, mapping);
        await peers.ReportNatBehaviourAsync("m", name, filtering, hairpinning: null, portPreserved: null);
    }

    private static async Task<string> DirectAsync(SimulatedPeers peers, string requester, string target, double elapsedMs)
    {
        var sessionId = await peers.StartPunchingAsync("m", requester, target);
        await peers.CompleteDirectAsync("m", requester, target, sessionId, elapsedMs);
        return sessionId;
    }
}
