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
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
