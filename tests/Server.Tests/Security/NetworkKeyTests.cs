using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

public sealed class NetworkKeyTests : IDisposable
{
    private const string Key = "sixteen+ chars of key";
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_key_set_by_an_admin_is_stored_encrypted_reaches_the_rendezvous_and_survives_a_restart()
    {
        var firstRun = new RecordingNetworkKeys();
        await using (var app = Create(_database, firstRun))
        {
            using var client = await AuthorizedClientAsync(app);
            await new SimulatedPeers(app.Services.GetRequiredService<IPunchEventSink>()).RegisterAsync("lab", "alice");

            using var set = await client.PutAsJsonAsync("/api/networks/lab/key", new { key = Key }).WaitAsync(Limit);

            Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
            Assert.Equal(Key, firstRun.KeyOf("lab"));
            var networks = await client.GetFromJsonAsync<JsonElement>("/api/networks").WaitAsync(Limit);
            var lab = networks.EnumerateArray().Single(n => n.GetProperty("network").GetString() == "lab");
            Assert.True(lab.GetProperty("requiresKey").GetBoolean());
            Assert.Equal("Admin", lab.GetProperty("keySource").GetString());
        }

        Assert.Equal(1, _database.Scalar("SELECT COUNT(*) FROM NetworkKeys WHERE Network = 'lab'"));
        Assert.Equal(0, _database.Scalar($"SELECT COUNT(*) FROM NetworkKeys WHERE instr(ProtectedKey, '{Key}') > 0"));

        var secondRun = new RecordingNetworkKeys();
        await using (var restarted = Create(_database, secondRun))
        {
            using var client = await AuthorizedClientAsync(restarted);
            Assert.Equal(Key, secondRun.KeyOf("lab"));

            using var removed = await client.DeleteAsync("/api/networks/lab/key").WaitAsync(Limit);

            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            Assert.Null(secondRun.KeyOf("lab"));
        }
        Assert.Equal(0, _database.Scalar("SELECT COUNT(*) FROM NetworkKeys"));
    }

    [Fact]
    public async Task Setting_a_key_needs_a_login()
    {
        var keys = new RecordingNetworkKeys();
        await using var app = Create(_database, keys);
        using var anonymous = ApiClient(app);

        using var refused = await anonymous.PutAsJsonAsync("/api/networks/lab/key", new { key = Key }).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Null(keys.KeyOf("lab"));
    }
}
