using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Tests.Rendezvous;
using Punch.Server.Tests.Security;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Telemetry;

/// <summary>GET /metrics of the real host after real UDP traffic: the named series, the same values as /api/stats, the API's access rule.</summary>
public sealed class MetricsEndpointTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/metrics").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync().WaitAsync(Limit));
    }

    [Fact]
    public async Task After_a_binding_a_registration_and_a_session_the_series_are_exported_and_match_api_stats()
    {
        // The comparison polls both endpoints until they agree: more often than the API's default rate limit allows.
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Dashboard:RateLimit:Api:PermitLimit"] = "100000" });
        using var http = app.CreateClient();
        var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

        using (var client = new UdpTestClient(server))
        {
            Assert.True(BindingResponse.TryRead(await client.RequestAsync(client.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b))), out _));
            client.Send([0x00, 0x01, 0x02]); // too short for STUN: dropped as malformed
        }

        var alice = PeerUnderTest.Fast(server, "alice", "bob", count: 3, linger: TimeSpan.FromMilliseconds(200));
        var bob = PeerUnderTest.Fast(server, "bob", "alice", count: 3, linger: TimeSpan.FromMilliseconds(200));
        var runs = new[] { alice.ConnectAsync(), bob.ConnectAsync() };
        await alice.WaitForDirectPathAsync();
        Assert.All(await Task.WhenAll(runs).WaitAsync(Limit), code => Assert.Equal(0, code));

        // The peers are done: nothing counts any more, so both readers must settle on the same values.
        // (The exporter caches a scrape for a moment, hence the retries.)
        PrometheusText metrics = null!;
        JsonElement stats = default;
        await Eventually.WaitForAsync(async () =>
        {
            metrics = await ScrapeAsync(http);
            stats = await http.GetFromJsonAsync<JsonElement>("/api/stats").WaitAsync(Limit);
            var rendezvous = stats.GetProperty("rendezvous");
            bool same = metrics.Sum("punch_datagrams_received_total") == rendezvous.GetProperty("datagramsReceived").GetInt64()
                && metrics.Sum("punch_datagrams_sent_total") == rendezvous.GetProperty("datagramsSent").GetInt64();
            return (same, Metrics: string.Join(" ", metrics.Samples.Select(s => s.Name).Distinct()), Api: rendezvous.ToString());
        }, compared => compared.same, "/metrics and /api/stats to agree on the datagrams received and sent");

        var counters = stats.GetProperty("rendezvous");
        Assert.True(counters.GetProperty("datagramsReceived").GetInt64() > 10);
        Assert.Contains(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), metrics.LabelValues("punch_datagrams_received_total", "port"));
        Assert.Equal(counters.GetProperty("malformedDropped").GetInt64(), metrics.Sum("punch_datagrams_dropped_total", ("reason", "malformed")));
        Assert.True(metrics.Sum("punch_datagrams_dropped_total", ("reason", "malformed")) >= 1);
        Assert.Equal(counters.GetProperty("bindingRequests").GetInt64(), metrics.Sum("punch_binding_requests_total"));
        Assert.Equal(2, metrics.Sum("punch_registrations_total", ("network", PeerIdentity.DefaultNetwork)));
        Assert.Equal(2, counters.GetProperty("registrations").GetProperty(PeerIdentity.DefaultNetwork).GetInt64());
        Assert.Equal(1, metrics.Sum("punch_introductions_total"));
        Assert.Equal(1, counters.GetProperty("introductions").GetInt64());
        // The relay on loopback usually comes up first; either way the session counts once, by its first path.
        Assert.Equal(1, metrics.Sum("punch_sessions_total"));
        Assert.Equal(0, metrics.Sum("punch_sessions_total", ("outcome", "failed")));
        var sessions = counters.GetProperty("sessions");
        foreach (var outcome in new[] { "direct", "relayed" })
        {
            Assert.Equal(sessions.TryGetProperty(outcome, out var n) ? n.GetInt64() : 0, metrics.Sum("punch_sessions_total", ("outcome", outcome)));
        }

        Assert.True(metrics.Sum("punch_time_to_path_seconds_count", ("path", "direct")) >= 1);
        Assert.True(metrics.Has("punch_time_to_path_seconds_bucket"));
        Assert.Equal(0, metrics.Sum("punch_events_dropped_total"));
        Assert.True(metrics.Has("punch_events_dropped_total"));
        Assert.True(metrics.Has("punch_peers_online"));
        var relay = await http.GetFromJsonAsync<JsonElement>("/api/relay").WaitAsync(Limit);
        Assert.Equal(relay.GetProperty("counters").GetProperty("bytesForwarded").GetInt64(), metrics.Sum("punch_relay_bytes_total"));
        Assert.True(metrics.Has("punch_relay_bytes_total"));
        // ASP.NET Core's and the runtime's own meters ride along.
        Assert.True(metrics.Has("http_server_active_requests"), "no ASP.NET Core request metrics");
        Assert.Contains(metrics.Samples, s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_an_admin_password_metrics_are_refused_without_credentials_and_read_with_a_token_or_the_scrape_token()
    {
        const string scrapeToken = "scrape-token-0123456789";
        await using var app = SecuredApp.Create(_database, settings: new Dictionary<string, string?> { ["Telemetry:ScrapeToken"] = scrapeToken });
        using var anonymous = app.CreateClient();

        using (var refused = await anonymous.GetAsync("/metrics").WaitAsync(Limit))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var api = await anonymous.GetAsync("/api/stats").WaitAsync(Limit))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        using var wrong = app.CreateClient();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "scrape-token-wrong-guess");
        using (var refused = await wrong.GetAsync("/metrics").WaitAsync(Limit))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var scraper = app.CreateClient();
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", scrapeToken);
        Assert.True((await ScrapeAsync(scraper)).Has("punch_datagrams_sent_total"));
        // The scrape token opens /metrics only, not the API.
        using (var api = await scraper.GetAsync("/api/stats").WaitAsync(Limit))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        using var admin = await SecuredApp.AuthorizedClientAsync(app);
        Assert.True((await ScrapeAsync(admin)).Has("punch_datagrams_sent_total"));
    }

    [Fact]
    public async Task Without_a_password_metrics_are_open_like_the_api()
    {
        await using var app = new PunchAppFactory(_database);
        using var client = app.CreateClient();

        Assert.True((await ScrapeAsync(client)).Has("punch_datagrams_sent_total"));
    }

    [Theory]
    [InlineData("Telemetry:OtlpEndpoint", "collector:4317")]
    [InlineData("Telemetry:OtlpEndpoint", "ftp://collector")]
    [InlineData("Telemetry:MaxNetworkLabels", "0")]
    public async Task A_bad_telemetry_setting_refuses_the_start_naming_the_key(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [key] = value });

        var failure = await app.StartupFailureAsync();

        Assert.Contains(key, failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_the_server_runs_and_still_serves_metrics()
    {
        // Nothing listens there (loopback port 9, discard): pushing fails in the background, serving must not.
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "http://127.0.0.1:9" });
        using var client = app.CreateClient();

        Assert.True((await ScrapeAsync(client)).Has("punch_datagrams_sent_total"));
    }

    [Fact]
    public async Task A_short_scrape_token_refuses_the_start_naming_the_key()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Telemetry:ScrapeToken"] = "short" });

        var failure = await app.StartupFailureAsync();

        Assert.Contains("Telemetry:ScrapeToken", failure, StringComparison.Ordinal);
    }
}
