using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

public sealed class LoginTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task With_a_password_the_api_needs_a_bearer_token()
    {
        await using var app = Create(_database);
        using var anonymous = app.CreateClient();

        using var refused = await anonymous.GetAsync("/api/peers").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        using var client = await AuthorizedClientAsync(app);
        using var allowed = await client.GetAsync("/api/peers").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var forged = app.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var forgedResponse = await forged.GetAsync("/api/peers").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);

        // Probes need no login.
        using var health = await anonymous.GetAsync("/healthz").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task The_token_response_says_how_long_it_lasts()
    {
        await using var app = Create(_database, settings: new Dictionary<string, string?> { ["Dashboard:TokenLifetime"] = "00:10:00" });
        using var client = app.CreateClient();

        using var response = await RequestTokenAsync(client, Password);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.Equal(600, body.GetProperty("expiresIn").GetInt64());
    }

    [Fact]
    public async Task A_wrong_password_gets_no_token_and_no_cookie()
    {
        await using var app = Create(_database);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var token = await RequestTokenAsync(client, "wrong password, long enough");
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Equal("application/problem+json", token.Content.Headers.ContentType?.MediaType);

        // The form post without its antiforgery token is refused before the password is even looked at.
        using var formBody = new FormUrlEncodedContent(new Dictionary<string, string> { ["password"] = Password });
        using var form = await client.PostAsync("/account/login", formBody).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.BadRequest, form.StatusCode);
        Assert.False(form.Headers.Contains("Set-Cookie") && form.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("punch-login=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task People_without_a_login_are_sent_to_the_login_page()
    {
        await using var app = Create(_database);
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var overview = await client.GetAsync("/sessions").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Redirect, overview.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Fsessions", overview.Headers.Location?.PathAndQuery);

        using var login = await client.GetAsync("/login").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync().WaitAsync(Limit);
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("data-testid=\"login-password\"", html);
    }

    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.WebSockets)]
    public async Task The_hub_refuses_a_client_without_a_token_and_accepts_one_with(HttpTransportType transport)
    {
        await using var app = Create(_database);

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => ConnectHubAsync(app, token: null, transport));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var client = app.CreateClient();
        await using var connection = await ConnectHubAsync(app, await GetTokenAsync(client), transport);
        var received = new ConcurrentQueue<StoredEvent>();
        connection.On<StoredEvent>("Event", received.Enqueue);
        await new SimulatedPeers(app.Services.GetRequiredService<IPunchEventSink>()).RegisterAsync("hub", "alice");
        await Eventually.WaitForAsync(() => received.Count, n => n >= 1, "an event over the authenticated hub");
    }

    [Fact]
    public async Task Without_a_password_everything_is_open_and_there_are_no_tokens()
    {
        await using var app = Create(_database, withPassword: false);
        using var client = app.CreateClient();

        using var peers = await client.GetAsync("/api/peers").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, peers.StatusCode);
        using var token = await RequestTokenAsync(client, Password);
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        var login = await client.GetStringAsync("/login").WaitAsync(Limit);
        Assert.Contains("login-not-required", login);
    }
}
