using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;
using Punch.Server.Hosting;
using Punch.Server.Security;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

/// <summary>
/// What a page on another site (or a DNS-rebinding page posing as this host) can do with the
/// browser of someone who can reach the dashboard: nothing but GETs it cannot read.
/// </summary>
public sealed class CrossSiteTests : IDisposable
{
    private const string Evil = "http://evil.example";
    // The test server's requests go to http://localhost, so this is the dashboard's own origin.
    private const string Own = "http://localhost";
    private const string Key = "sixteen+ chars of key";
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_hub_refuses_a_negotiate_from_another_site(bool withPassword)
    {
        await using var app = Create(_database, withPassword: withPassword);
        using var client = withPassword ? await AuthorizedClientAsync(app) : app.CreateClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, HttpPaths.Hub + "/negotiate?negotiateVersion=1");
        negotiate.Headers.Add("Origin", Evil);

        using var response = await client.SendAsync(negotiate).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_hub_refuses_a_websocket_from_another_site(bool withPassword)
    {
        await using var app = Create(_database, withPassword: withPassword);
        string? token = withPassword ? await GetTokenAsync(app.CreateClient()) : null;

        // Without negotiation, as a page can open ws://host/hubs/punch directly.
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => ConnectHubAsync(app, token, HttpTransportType.WebSockets, Evil, skipNegotiation: true));

        Assert.Contains("403", refused.Message);
    }

    [Theory]
    [InlineData(false, HttpTransportType.WebSockets)]
    [InlineData(true, HttpTransportType.WebSockets)]
    [InlineData(false, HttpTransportType.LongPolling)]
    public async Task The_hub_streams_to_its_own_origin(bool withPassword, HttpTransportType transport)
    {
        await using var app = Create(_database, withPassword: withPassword);
        string? token = withPassword ? await GetTokenAsync(app.CreateClient()) : null;

        await using var connection = await ConnectHubAsync(app, token, transport, Own);

        await ExpectAnEventAsync(app, connection);
    }

    [Fact]
    public async Task The_hub_streams_to_an_origin_the_operator_allowed()
    {
        const string operations = "https://ops.example:8443";
        await using var app = Create(_database, withPassword: false,
            settings: new Dictionary<string, string?> { [AdminAccessOptions.AllowedOriginsKey + ":0"] = operations });

        await using var connection = await ConnectHubAsync(app, token: null, HttpTransportType.WebSockets, operations, skipNegotiation: true);

        await ExpectAnEventAsync(app, connection);
        // The same host on another port is another origin.
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectHubAsync(app, token: null, HttpTransportType.WebSockets, "https://ops.example", skipNegotiation: true));
    }

    [Fact]
    public async Task Without_a_password_a_rebinding_page_with_a_foreign_host_is_refused()
    {
        var keys = new RecordingNetworkKeys();
        await using var app = Create(_database, keys, withPassword: false);
        using var client = app.CreateClient();
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/networks/lab/key") { Content = JsonContent.Create(new { key = Key }) };
        put.Headers.Host = "evil.example";
        put.Headers.Add(CrossSiteRequestGuard.RequestHeader, "1");

        using var response = await client.SendAsync(put).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(keys.KeyOf("lab"));
    }

    [Fact]
    public async Task Hosts_the_operator_set_win_over_the_loopback_default()
    {
        await using var app = Create(_database, withPassword: false, settings: new Dictionary<string, string?> { ["AllowedHosts"] = "punch.lan" });
        using var client = app.CreateClient();
        using var lan = new HttpRequestMessage(HttpMethod.Get, "/api/peers");
        lan.Headers.Host = "punch.lan";
        using var localhost = new HttpRequestMessage(HttpMethod.Get, "/api/peers");

        using var allowed = await client.SendAsync(lan).WaitAsync(Limit);
        using var other = await client.SendAsync(localhost).WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task A_state_changing_call_without_the_request_header_is_refused(string method)
    {
        var keys = new RecordingNetworkKeys();
        await using var app = Create(_database, keys, withPassword: false);
        using var client = app.CreateClient();

        using var refusedRequest = KeyRequest(method, origin: null, withHeader: false);
        using var refused = await client.SendAsync(refusedRequest).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Null(keys.KeyOf("lab"));

        using var allowedRequest = KeyRequest(method, origin: null, withHeader: true);
        using var allowed = await client.SendAsync(allowedRequest).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        var stats = await client.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/stats").WaitAsync(Limit);
        Assert.Equal(1, stats.GetProperty("httpRequestsCrossSiteRefused").GetInt64());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_state_changing_call_from_another_site_is_refused_even_with_the_header(bool withPassword)
    {
        var keys = new RecordingNetworkKeys();
        await using var app = Create(_database, keys, withPassword: withPassword);
        using var client = withPassword ? await AuthorizedClientAsync(app) : app.CreateClient();

        using var refusedRequest = KeyRequest("PUT", Evil, withHeader: true);
        using var refused = await client.SendAsync(refusedRequest).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(keys.KeyOf("lab"));

        using var sameSiteRequest = KeyRequest("PUT", Own, withHeader: true);
        using var sameSite = await client.SendAsync(sameSiteRequest).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.NoContent, sameSite.StatusCode);
        Assert.Equal(Key, keys.KeyOf("lab"));
    }

    [Fact]
    public async Task Reads_without_an_origin_stay_open_as_before()
    {
        await using var app = Create(_database, withPassword: false);
        using var client = app.CreateClient();

        using var peers = await client.GetAsync("/api/peers").WaitAsync(Limit);

        Assert.Equal(HttpStatusCode.OK, peers.StatusCode);
    }

    private static HttpRequestMessage KeyRequest(string method, string? origin, bool withHeader)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "/api/networks/lab/key");
        if (method == "PUT")
        {
            request.Content = JsonContent.Create(new { key = Key });
        }

        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (withHeader)
        {
            request.Headers.Add(CrossSiteRequestGuard.RequestHeader, "1");
        }

        return request;
    }

    private static async Task ExpectAnEventAsync(WebApplicationFactory<Program> app, HubConnection connection)
    {
        var received = new ConcurrentQueue<StoredEvent>();
        connection.On<StoredEvent>("Event", received.Enqueue);
        await new SimulatedPeers(app.Services.GetRequiredService<IPunchEventSink>()).RegisterAsync("lab", "alice");
        await Eventually.WaitForAsync(() => received.Count, n => n >= 1, "an event over the hub");
    }
}
