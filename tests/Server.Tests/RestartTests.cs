using System.Net.Http.Json;
using System.Text.Json;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

public sealed class RestartTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task History_survives_a_restart_and_peers_come_back_offline()
    {
        string sessionId;
        await using (var first = new PunchAppFactory(_database))
        {
            var peers = new SimulatedPeers(first.Sink);
            await peers.RegisterAsync("lab", "alice");
            await peers.RegisterAsync("lab", "bob");
            sessionId = await peers.ConnectDirectAsync("lab", "alice", "bob");
            await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events"), n => n == 9, "9 stored events");
        }

        await using var second = new PunchAppFactory(_database);
        using var client = second.CreateClient();

        var peerList = await client.GetFromJsonAsync<JsonElement>("/api/peers").WaitAsync(Limit);
        Assert.Equal(2, peerList.GetArrayLength());
        // The registry is in memory: after a restart nobody is online until they register again.
        Assert.All(peerList.EnumerateArray(), p => Assert.False(p.GetProperty("online").GetBoolean()));

        var detail = await client.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}").WaitAsync(Limit);
        Assert.Equal("Direct", detail.GetProperty("session").GetProperty("state").GetString());
        Assert.Equal(7, detail.GetProperty("events").GetArrayLength());

        // New events continue the id sequence.
        await new SimulatedPeers(second.Sink).RegisterAsync("lab", "alice");
        var newer = await Eventually.WaitForAsync(
            () => client.GetFromJsonAsync<JsonElement>("/api/events?afterId=9").WaitAsync(Limit),
            page => page.GetArrayLength() == 1, "the event after the restart");
        Assert.Equal(10, newer[0].GetProperty("id").GetInt64());
        var alice = (await client.GetFromJsonAsync<JsonElement>("/api/peers").WaitAsync(Limit))
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "alice");
        Assert.True(alice.GetProperty("online").GetBoolean());
    }
}
