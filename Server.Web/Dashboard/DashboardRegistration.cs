using Microsoft.AspNetCore.Diagnostics;
using MudBlazor.Services;
using Punch.Server.Security;

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
        builder.Services.AddSingleton<TrafficHistory>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TrafficHistory>());
        return builder;
    }

    /// <summary>Before the login checks: the stylesheet and icon are public, so the login page looks right.</summary>
    public static WebApplication UsePunchDashboardAssets(this WebApplication app)
    {
        app.UseDashboardAssets();
        // An unknown address shows the dashboard's own not-found page. API and hub answers (a 401 of
        // the bearer handler has no body) stay as they are: a client expects JSON, not HTML.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (SecurityRegistration.IsApiHubOrMetrics(context.Request.Path) && context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            return next(context);
        });
        return app;
    }

    /// <summary>After the login checks (antiforgery must know who the user is).</summary>
    public static WebApplication MapPunchDashboard(this WebApplication app)
    {
        app.UseAntiforgery();
        // MudBlazor's and Blazor's files: the login page needs them before anyone has logged in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
