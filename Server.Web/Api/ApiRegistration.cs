namespace Punch.Server.Api;

public static class ApiRegistration
{
    public const string HealthPath = "/healthz";
    public const string ApiPrefix = "/api";

    public static IHostApplicationBuilder AddPunchApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(json => PunchJson.Configure(json.SerializerOptions));
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddCheck<EventQueueHealthCheck>("event-queue");
        return builder;
    }

    public static WebApplication MapPunchApi(this WebApplication app)
    {
        // Unhandled errors become problem details, never a stack trace.
        app.UseExceptionHandler();
        app.MapPunchApiEndpoints();
        app.MapHealthChecks(HealthPath);
        return app;
    }
}
