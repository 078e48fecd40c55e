using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Punch.Server.Security;

namespace Punch.Server.Telemetry;

/// <summary>
/// The meter <see cref="ServerMeter.Name"/>, exported with OpenTelemetry: Prometheus text at
/// <see cref="MetricsPath"/> (who may read it: <see cref="MetricsPolicy"/>), and, when
/// <c>Telemetry:OtlpEndpoint</c> is set, metrics and traces pushed over OTLP.
/// </summary>
public static class TelemetryRegistration
{
    public const string MetricsPath = "/metrics";
    public const string MetricsPolicy = "metrics";

    /// <summary>What the server exports besides its own meter: ASP.NET Core and the runtime publish these natively since .NET 9.</summary>
    public static readonly string[] BuiltInMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "System.Runtime"];

    /// <summary>Call first: OpenTelemetry then listens before any other service counts anything.</summary>
    public static IHostApplicationBuilder AddPunchTelemetry(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<ServerMeter>();

        // Decided here, not at start: the exporter is registered only when an endpoint is configured. A bad value is
        // ignored by the exporter's setup below and refused at start by the validator, with its one line.
        bool otlp = !string.IsNullOrEmpty(builder.Configuration[TelemetryOptions.OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("punch-server"))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(ServerMeter.Name, Storage.StorageStats.MeterName).AddMeter(BuiltInMeters).AddPrometheusExporter();
                if (otlp)
                    metrics.AddOtlpExporter((exporter, reader) => exporter.ConfigureFrom(builder.Configuration));
            });
        if (otlp)
            telemetry.WithTracing(tracing => tracing.AddSource("Microsoft.AspNetCore").AddOtlpExporter(exporter => exporter.ConfigureFrom(builder.Configuration)));

        services.AddHostedService<ZeroSeries>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ScrapeTokenHandler>(ScrapeTokenHandler.SchemeName, null);
        // The same rule as the API (open when no admin password is set, loopback only then), plus the scrape token.
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AdminAccessOptions>>((authorization, access) =>
            authorization.AddPolicy(MetricsPolicy, policy =>
            {
                if (access.Value.LoginRequired)
                    policy.AddAuthenticationSchemes(SecurityRegistration.PolicyScheme, ScrapeTokenHandler.SchemeName).RequireAuthenticatedUser();
                else
                    policy.RequireAssertion(_ => true);
            }));
        return builder;
    }

    public static WebApplication MapPunchMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireAuthorization(MetricsPolicy)
            .RequireRateLimiting(SecurityRegistration.ApiRateLimitPolicy);
        return app;
    }

    private static void ConfigureFrom(this OtlpExporterOptions exporter, IConfiguration configuration)
    {
        if (Uri.TryCreate(configuration[TelemetryOptions.OtlpEndpointKey], UriKind.Absolute, out var endpoint))
            exporter.Endpoint = endpoint;
    }
}
