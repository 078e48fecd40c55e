using Microsoft.Extensions.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Punch.Server.Telemetry;

/// <summary>
/// The meter <see cref="ServerMeter.Name"/>, exported with OpenTelemetry: Prometheus text (served at
/// <c>/metrics</c> by the API, which decides who may read it), and, when <c>Telemetry:OtlpEndpoint</c>
/// is set, metrics and traces pushed over OTLP.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>The name OpenTelemetry's IMetricsListener goes by.</summary>
    private const string OpenTelemetryListenerName = "OpenTelemetry";

    /// <summary>ASP.NET Core's own meters (requests, connections, the hub's), made by the host's IMeterFactory.</summary>
    public static readonly string[] HostMeters = ["Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections"];

    /// <summary>The runtime's meter (GC, JIT, thread pool), published natively since .NET 9: no instrumentation package needed.</summary>
    public const string RuntimeMeter = "System.Runtime";

    /// <summary>Call first: OpenTelemetry then listens before any other service counts anything.</summary>
    public static IHostApplicationBuilder AddPunchTelemetry(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddSingleton<ServerMeter>();
        // The meters go to OpenTelemetry as rules of the host's metrics builder, not through AddMeter: AddMeter
        // listens by name to every meter in the process, and a process with several hosts (the tests) has a
        // Punch.Server meter in each, so the exporter would report another host's instruments. A Local rule
        // takes only the meters this host's IMeterFactory made; the runtime's meter is process-wide (Global).
        services.AddMetrics(rules =>
        {
            foreach (var meter in (string[])[ServerMeter.Name, ServerMeter.StorageName, .. HostMeters])
            {
                rules.EnableMetrics(meter, listenerName: OpenTelemetryListenerName, scopes: MeterScope.Local);
            }

            rules.EnableMetrics(RuntimeMeter, listenerName: OpenTelemetryListenerName, scopes: MeterScope.Global);
        });

        // Decided here, not at start: the exporter is registered only when an endpoint is configured. A bad value is
        // ignored by the exporter's setup below and refused at start by the validator, with its one line.
        bool otlp = !string.IsNullOrEmpty(builder.Configuration[TelemetryOptions.OtlpEndpointKey]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("punch-server"))
            .WithMetrics(metrics =>
            {
                metrics.AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter((exporter, reader) => exporter.ConfigureFrom(builder.Configuration));
                }
            });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddSource("Microsoft.AspNetCore").AddOtlpExporter(exporter => exporter.ConfigureFrom(builder.Configuration)));
        }

        services.AddHostedService<ZeroSeries>();
        return builder;
    }

    private static void ConfigureFrom(this OtlpExporterOptions exporter, IConfiguration configuration)
    {
        if (Uri.TryCreate(configuration[TelemetryOptions.OtlpEndpointKey], UriKind.Absolute, out var endpoint))
        {
            exporter.Endpoint = endpoint;
        }
    }
}
