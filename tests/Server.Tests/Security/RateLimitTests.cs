using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

public sealed class RateLimitTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static readonly IPAddress Greedy = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Patient = IPAddress.Parse("203.0.113.8");

    /// <summary>A GET from a given client address (the test server has none of its own).</summary>
    private static async Task<(int Status, string ContentType, string Body)> GetFromAsync(WebApplicationFactory<Program> app, IPAddress client, string path)
    {
        var context = await app.Server.SendAsync(request =>
        {
            request.Request.Method = HttpMethods.Get;
            request.Request.Path = path;
            request.Connection.RemoteIpAddress = client;
        }).WaitAsync(Limit);
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType ?? "", await reader.ReadToEndAsync().WaitAsync(Limit));
    }

    [Fact]
    public async Task The_api_answers_429_with_problem_details_after_the_limit_and_counts_it()
    {
        await using var app = Create(_database, withPassword: false, settings: new Dictionary<string, string?>
        {
            ["Dashboard:RateLimit:Api:PermitLimit"] = "5",
            ["Dashboard:RateLimit:Api:Window"] = "00:01:00",
        });

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(200, (await GetFromAsync(app, Greedy, "/api/peers")).Status);
        }

        var rejected = await GetFromAsync(app, Greedy, "/api/peers");

        Assert.Equal(429, rejected.Status);
        Assert.Equal("application/problem+json", rejected.ContentType);
        Assert.Equal(429, JsonDocument.Parse(rejected.Body).RootElement.GetProperty("status").GetInt32());
        // Another address has its own allowance, and sees the rejection counted.
        var stats = await GetFromAsync(app, Patient, "/api/stats");
        Assert.Equal(200, stats.Status);
        Assert.Equal(1, JsonDocument.Parse(stats.Body).RootElement.GetProperty("httpRequestsRateLimited").GetInt64());
    }

    [Fact]
    public async Task Password_guessing_is_limited_separately()
    {
        await using var app = Create(_database, settings: new Dictionary<string, string?>
        {
            ["Dashboard:RateLimit:Login:PermitLimit"] = "3",
            ["Dashboard:RateLimit:Login:Window"] = "00:01:00",
        });
        using var client = app.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await RequestTokenAsync(client, $"guess number {i} of many");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        // Even the right password waits for the window now.
        using var limited = await RequestTokenAsync(client, Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
    }
}
