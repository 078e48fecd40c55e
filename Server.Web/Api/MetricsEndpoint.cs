using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Punch.Server.Hosting;
using Punch.Server.Security;
using Punch.Server.Telemetry;

namespace Punch.Server.Api;

/// <summary>Prometheus text of the meters at <see cref="HttpPaths.Metrics"/>, and who may read it (<see cref="MetricsPolicy"/>).</summary>
public static class MetricsEndpoint
{
    public const string MetricsPolicy = "metrics";

    public static IHostApplicationBuilder AddPunchMetricsEndpoint(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // The scheme is added to the options, not through AddAuthentication: that would register data protection's
        // hosted service here, before the database check, and it writes the key ring beside a database path
        // that may be wrong (creating the folders) before the start is refused for it.
        services.Configure<AuthenticationOptions>(authentication => authentication.AddScheme<ScrapeTokenHandler>(ScrapeTokenHandler.SchemeName, null));
        // The same rule as the API (open when no admin password is set, loopback only then), plus the scrape token.
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AdminAccessOptions>>((authorization, access) =>
            authorization.AddPolicy(MetricsPolicy, policy =>
            {
                if (access.Value.LoginRequired)
                {
                    policy.AddAuthenticationSchemes(SecurityRegistration.PolicyScheme, ScrapeTokenHandler.SchemeName).RequireAuthenticatedUser();
                }
                else
                {
                    policy.RequireAssertion(_ => true);
                }
            }));
        return builder;
    }

    public static WebApplication MapPunchMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(HttpPaths.Metrics)
            .RequireAuthorization(MetricsPolicy)
            .RequireRateLimiting(SecurityRegistration.ApiRateLimitPolicy);
        return app;
    }
}
