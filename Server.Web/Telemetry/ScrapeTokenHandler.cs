using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Punch.Server.Telemetry;

/// <summary>
/// Signs in a scraper that sends <c>Authorization: Bearer &lt;Telemetry:ScrapeToken&gt;</c>. Only the
/// metrics policy asks this scheme (<see cref="TelemetryRegistration"/>), so the token reads
/// <c>/metrics</c> and nothing else: a leaked scrape config does not open the API or the dashboard.
/// </summary>
public sealed class ScrapeTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory loggers, UrlEncoder encoder, IOptions<TelemetryOptions> telemetry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, loggers, encoder)
{
    public const string SchemeName = "PunchScrapeToken";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (telemetry.Value.ScrapeToken is not { Length: > 0 } token || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!Matches(header[BearerPrefix.Length..].Trim(), token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "metrics-scraper")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>The other scheme of the policy may have answered already (a 401 with problem details): leave it.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (!Response.HasStarted)
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.Append("WWW-Authenticate", "Bearer");
        }
        return Task.CompletedTask;
    }

    /// <summary>Constant-time: both sides hashed first, so neither content nor length leaks through timing.</summary>
    private static bool Matches(string candidate, string token) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(candidate)), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
