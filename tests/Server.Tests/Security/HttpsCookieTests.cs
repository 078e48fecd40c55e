using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Security;
using Punch.Tests.Shared;
using static Punch.Server.Tests.Security.SecuredApp;

namespace Punch.Server.Tests.Security;

/// <summary>
/// The documented HTTPS setting (Kestrel's own endpoint keys with a .pfx) on the real Kestrel host,
/// with a certificate made here: the login and antiforgery cookies never travel in clear text.
/// </summary>
public sealed partial class HttpsCookieTests : IDisposable
{
    private const string PfxPassword = "test-pfx-password";
    private readonly TempDatabase _database = new();
    private readonly string _pfxPath;
    private readonly X509Certificate2 _certificate;

    public HttpsCookieTests()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = created.Export(X509ContentType.Pfx, PfxPassword);
        _pfxPath = Path.Combine(Path.GetDirectoryName(_database.Path)!, "dashboard.pfx");
        File.WriteAllBytes(_pfxPath, pfx);
        _certificate = X509CertificateLoader.LoadPkcs12(pfx, PfxPassword);
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _database.Dispose();
    }

    [Fact]
    public async Task With_an_https_endpoint_cookies_are_secure_and_people_on_http_are_sent_to_https()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?>
        {
            [AdminAccessOptions.PasswordKey] = Password,
            ["Kestrel:Endpoints:Https:Url"] = "https://127.0.0.1:0",
            ["Kestrel:Endpoints:Https:Certificate:Path"] = _pfxPath,
            ["Kestrel:Endpoints:Https:Certificate:Password"] = PfxPassword,
            ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
        });
        app.UseKestrel();
        await Task.Run(app.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;

        var https = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal)));
        var http = new Uri(addresses.Single(a => a.StartsWith("http://", StringComparison.Ordinal)));

        using var secureClient = Client(https);
        var cookies = await LogInAsync(secureClient);
        Assert.True(cookies.ContainsKey(SecurityRegistration.CookieName), "no login cookie");
        Assert.All(cookies.Values, cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

        // Over the HTTP endpoint the login page is not served (its cookies could not come back): people are sent to HTTPS.
        using var plainClient = Client(http);
        using var page = await plainClient.GetAsync(AccountEndpoints.LoginPagePath).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal(new Uri(https, AccountEndpoints.LoginPagePath), page.Headers.Location);
        // The API, the hub and probes still answer there (bearer tokens and curl need no cookie).
        using var health = await plainClient.GetAsync("/healthz").WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Without_an_https_endpoint_the_cookie_follows_the_request()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [AdminAccessOptions.PasswordKey] = Password });
        app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(_certificate)));
        await Task.Run(app.StartServer).WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        using var client = Client(new Uri(address));

        var cookies = await LogInAsync(client);

        Assert.StartsWith("https://", address, StringComparison.Ordinal);
        Assert.Contains("secure", cookies[SecurityRegistration.CookieName], StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Trusts exactly the certificate made for the test.</summary>
    private HttpClient Client(Uri baseAddress)
    {
#pragma warning disable CA2000 // ownership passes to the HttpClient returned, which disposes its handler
        var handler = new HttpClientHandler
#pragma warning restore CA2000
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Thumbprint,
        };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Limit };
    }

    /// <summary>
    /// The login page's form post, with the antiforgery cookie handed back by hand: a browser would
    /// not send a Secure cookie over plain HTTP, and the point here is what the server sets.
    /// Returns every cookie set (name to its whole Set-Cookie line).
    /// </summary>
    private static async Task<Dictionary<string, string>> LogInAsync(HttpClient client)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        using var page = await client.GetAsync(AccountEndpoints.LoginPagePath).WaitAsync(Limit);
        Collect(page, cookies);
        var html = await page.Content.ReadAsStringAsync().WaitAsync(Limit);
        var token = VerificationToken().Match(html);
        Assert.True(token.Success, "no antiforgery token on the login page");

        using var post = new HttpRequestMessage(HttpMethod.Post, AccountEndpoints.LoginPath)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["password"] = Password,
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", cookies.Values.Select(line => line.Split(';')[0])));
        using var login = await client.SendAsync(post).WaitAsync(Limit);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Collect(login, cookies);
        return cookies;
    }

    private static void Collect(HttpResponseMessage response, Dictionary<string, string> cookies)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var lines))
        {
            return;
        }

        foreach (var line in lines)
        {
            cookies[line[..line.IndexOf('=', StringComparison.Ordinal)]] = line;
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex VerificationToken();
}
