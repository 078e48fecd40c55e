using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Punch.Core.Protocol;
using Punch.Server.Security;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

/// <summary>Odd values in every place the API takes input: a 400 with problem details (or a plain 404 for a well-formed unknown id), never a 500.</summary>
public sealed class InputValidationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    public static readonly string[] OddValues =
    [
        new string('a', 5000),
        "ünïcødé",
        "日本語のネットワーク",
        "-1",
        "-9223372036854775809",
        "99999999999999999999999999",
        "' OR 1=1 --",
        "'; DROP TABLE Peers; --",
        "\"quoted\"",
        "%00",
        "\0",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "1e10",
        " ",
        "🙂",
    ];

    private static string Path(string value) => Uri.EscapeDataString(value);

    /// <summary>Some odd-looking values are valid ("-1" is a fine network name): those must succeed, the rest get a 400.</summary>
    private static async Task AssertValidatedAsync(HttpResponseMessage response, string what, bool valid)
    {
        if (valid)
        {
            Assert.True(response.IsSuccessStatusCode, $"{what}: expected success, got {(int)response.StatusCode}");
        }
        else
        {
            await AssertRejectedAsync(response, what);
        }
    }

    private static async Task AssertRejectedAsync(HttpResponseMessage response, string what, bool notFoundAllowed = false)
    {
        var status = (int)response.StatusCode;
        Assert.True(status == 400 || (notFoundAllowed && status == 404), $"{what}: expected 400, got {status}");
        if (status == 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync().WaitAsync(Limit));
    }

    [Fact]
    public async Task Odd_route_query_and_body_values_get_400_never_500()
    {
        await using var app = Create(_database, new RecordingNetworkKeys(), settings: new Dictionary<string, string?>
        {
            ["Dashboard:RateLimit:Api:PermitLimit"] = "100000",
            ["Dashboard:RateLimit:Login:PermitLimit"] = "100000",
        });
        using var client = await AuthorizedClientAsync(app);

        foreach (var value in OddValues)
        {
            var shown = value.Length > 40 ? value[..40] + "…" : value;
            // A NUL in the path never reaches the app (Kestrel answers 400 itself; the test client refuses to send it).
            var pathSafe = !value.Contains('\0', StringComparison.Ordinal);
            if (pathSafe)
            {
                using var r = await client.GetAsync($"/api/sessions/{Path(value)}").WaitAsync(Limit);
                await AssertRejectedAsync(r, $"session id {shown}", notFoundAllowed: true);
            }
            using (var r = await client.GetAsync($"/api/sessions?limit={Path(value)}").WaitAsync(Limit))
            {
                await AssertRejectedAsync(r, $"sessions limit {shown}");
            }

            using (var r = await client.GetAsync($"/api/events?afterId={Path(value)}").WaitAsync(Limit))
            {
                await AssertRejectedAsync(r, $"events afterId {shown}");
            }

            using (var r = await client.GetAsync($"/api/events?limit={Path(value)}").WaitAsync(Limit))
            {
                await AssertRejectedAsync(r, $"events limit {shown}");
            }

            if (pathSafe)
            {
                using (var r = await client.PutAsJsonAsync($"/api/networks/{Path(value)}/key", new { key = "a perfectly good key" }).WaitAsync(Limit))
                {
                    await AssertValidatedAsync(r, $"network name {shown}", PeerIdentity.IsValidName(value));
                }

                using (var r = await client.DeleteAsync($"/api/networks/{Path(value)}/key").WaitAsync(Limit))
                {
                    await AssertValidatedAsync(r, $"network name to remove {shown}", PeerIdentity.IsValidName(value));
                }
            }
            using (var r = await client.PutAsJsonAsync("/api/networks/lab/key", new { key = value }).WaitAsync(Limit))
            {
                await AssertValidatedAsync(r, $"key {shown}", NetworkKeyRules.ValidateKey(value) is null);
            }

            using (var r = await client.PostAsJsonAsync("/api/token", new { password = value }).WaitAsync(Limit))
            {
                Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest, $"token for {shown}: {r.StatusCode}");
            }
        }
    }

    [Theory]
    [InlineData("application/json", "not json")]
    [InlineData("application/json", "[1, 2, 3]")]
    [InlineData("application/json", "")]
    [InlineData("application/json", "null")]
    [InlineData("application/json", "{\"key\": 42}")]
    [InlineData("text/plain", "{\"key\": \"sixteen+ chars of key\"}")]
    [InlineData("application/json", "{\"key\": \"{BIG}\"}")]
    public async Task Bad_bodies_get_400_never_500(string contentType, string body)
    {
        await using var app = Create(_database, new RecordingNetworkKeys());
        using var client = await AuthorizedClientAsync(app);
        using var content = new StringContent(body.Replace("{BIG}", new string('k', 10_000), StringComparison.Ordinal), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var setKey = await client.PutAsync("/api/networks/lab/key", content).WaitAsync(Limit);
        await AssertRejectedAsync(setKey, $"key body {body}");

        using var tokenBody = new StringContent(body, Encoding.UTF8, contentType);
        using var token = await client.PostAsync("/api/token", tokenBody).WaitAsync(Limit);
        await AssertRejectedAsync(token, $"token body {body}");
    }
}
