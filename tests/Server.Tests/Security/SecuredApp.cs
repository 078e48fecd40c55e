using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Api;
using Punch.Server.Hosting;
using Punch.Server.Security;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Security;

/// <summary>The in-process server with an admin password, and what a client needs to get in.</summary>
public static class SecuredApp
{
    public const string Password = "correct horse battery staple";
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    /// <param name="updater">Stands in for the rendezvous's network keys, so a test can see what reached it.</param>
    public static WebApplicationFactory<Program> Create(TempDatabase database, INetworkKeyUpdater? updater = null,
        IReadOnlyDictionary<string, string?>? settings = null, bool withPassword = true)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (withPassword)
        {
            all.TryAdd(AdminAccessOptions.PasswordKey, Password);
        }

        var app = new PunchAppFactory(database, all);
        return updater is null ? app : app.WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton(updater)));
    }

    public static async Task<HttpResponseMessage> RequestTokenAsync(HttpClient client, string password) =>
        await client.PostAsJsonAsync(AccountEndpoints.TokenPath, new { password }).WaitAsync(Limit);

    public static async Task<string> GetTokenAsync(HttpClient client)
    {
        using var response = await RequestTokenAsync(client, Password);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>().WaitAsync(Limit);
        return body.GetProperty("accessToken").GetString() ?? throw new InvalidOperationException("No accessToken in the token response.");
    }

    /// <summary>A client as scripts should be written: it sends the header state-changing API calls need.</summary>
    public static HttpClient ApiClient(WebApplicationFactory<Program> app)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(CrossSiteRequestGuard.RequestHeader, "1");
        return client;
    }

    public static async Task<HttpClient> AuthorizedClientAsync(WebApplicationFactory<Program> app)
    {
        var client = ApiClient(app);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(client));
        return client;
    }

    /// <summary>
    /// A SignalR client of the hub; with a token it sends it the way each transport can (header, or
    /// access_token for WebSockets); with an origin every request carries it, as a browser's page would.
    /// </summary>
    public static async Task<HubConnection> ConnectHubAsync(WebApplicationFactory<Program> app, string? token, HttpTransportType transport,
        string? origin = null, bool skipNegotiation = false)
    {
        var server = app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, HttpPaths.Hub), options =>
            {
                options.Transports = transport;
                options.SkipNegotiation = skipNegotiation;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                // As a browser does: it cannot put headers on a WebSocket, so the token rides in the query.
                options.WebSocketFactory = async (context, ct) =>
                {
                    var webSockets = server.CreateWebSocketClient();
                    if (origin is not null)
                    {
                        webSockets.ConfigureRequest = request => request.Headers.Origin = origin;
                    }

                    return await webSockets.ConnectAsync(token is null ? context.Uri : WithAccessToken(context.Uri, token), ct);
                };
                if (origin is not null)
                {
                    options.Headers["Origin"] = origin;
                }

                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .AddJsonProtocol(json => PunchJson.Configure(json.PayloadSerializerOptions))
            .Build();
        try
        {
            await connection.StartAsync().WaitAsync(Limit);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        return connection;
    }

    private static Uri WithAccessToken(Uri uri, string token) =>
        new(uri + (uri.Query.Length > 0 ? "&" : "?") + "access_token=" + Uri.EscapeDataString(token));
}
