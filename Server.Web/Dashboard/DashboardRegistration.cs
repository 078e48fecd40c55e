using MudBlazor.Services;

namespace Punch.Server.Dashboard;

public static class DashboardRegistration
{
    public static IHostApplicationBuilder AddPunchDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DashboardOptions>()
            .Bind(builder.Configuration.GetSection(DashboardOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(DashboardOptions.HasSaneRefreshInterval, "Dashboard:RefreshInterval must be between 10 ms and 30 s.")
            .ValidateOnStart();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication MapPunchDashboard(this WebApplication app)
    {
        app.UseDashboardAssets();
        // An unknown address shows the dashboard's own not-found page (the API answers its own 404s with a body, which this leaves alone).
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
