using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Tests.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Telemetry;

/// <summary>Network names come from peers: the <c>network</c> label must stay bounded however many networks register.</summary>
public sealed class MetricLabelTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Registrations_in_more_networks_than_the_cap_are_counted_under_other()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Telemetry:MaxNetworkLabels"] = "3" });
        using var http = app.CreateClient();
        var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

        const int networks = 12;
        using var client = new UdpTestClient(server);
        for (int i = 0; i < networks; i++)
        {
            var identity = new PeerIdentity($"net-{i}", "peer");
            var reply = await client.RequestAsync(client.Build(b => new RegisterRequest(TransactionId.NewRandom(), identity, []).WriteTo(b)));
            Assert.True(RegistrationResponse.TryRead(reply, out _), $"registration {i} refused");
        }

        var metrics = await Eventually.WaitForAsync(async () =>
        {
            using var response = await http.GetAsync("/metrics").WaitAsync(Limit);
            return PrometheusText.Parse(await response.Content.ReadAsStringAsync().WaitAsync(Limit));
        }, m => m.Sum("punch_registrations_total") == networks, "all registrations on /metrics");

        Assert.Equal(new HashSet<string> { "net-0", "net-1", "net-2", "other" }, metrics.LabelValues("punch_registrations_total", "network"));
        Assert.Equal(networks - 3, metrics.Sum("punch_registrations_total", ("network", "other")));
        var byNetwork = (await http.GetFromJsonAsync<JsonElement>("/api/stats").WaitAsync(Limit)).GetProperty("rendezvous").GetProperty("registrations");
        Assert.Equal(networks - 3, byNetwork.GetProperty("other").GetInt64());
        Assert.Equal(4, byNetwork.EnumerateObject().Count());
    }
}
