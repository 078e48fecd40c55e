using Punch.Server.Hosting;

namespace Punch.Server.Api;

public static class ApiRegistration
{
    public static IHostApplicationBuilder AddPunchApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton<StatsQuery>();
        builder.Services.ConfigureHttpJsonOptions(json => PunchJson.Configure(json.SerializerOptions));
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<EventQueueHealthCheck>("event-queue");
        builder.AddPunchMetricsEndpoint();
        return builder;
    }

    /// <summary>First in the pipeline: unhandled errors anywhere after it become problem details, never a stack trace.</summary>
    public static WebApplication UsePunchErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request the framework could not bind (a form without its antiforgery token, a bad body)
            // is the client's fault in every environment, not a 500.
            StatusCodeSelector = error => error is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        return app;
    }

    public static WebApplication MapPunchApi(this WebApplication app)
    {
        app.MapPunchApiEndpoints();
        // Load balancers and container probes ask without credentials.
        app.MapHealthChecks(HttpPaths.Health).AllowAnonymous();
        return app;
    }
}
