using Microsoft.Extensions.FileProviders;

namespace Punch.Server.Dashboard;

/// <summary>
/// Serves the dashboard's own static files (app.css, favicon). They live in the repository's
/// top-level wwwroot and are copied beside the binaries as dashboard-assets/ (see Server.Web.csproj),
/// so the same path works under dotnet run, in the published app, in test hosts and in the image.
/// MudBlazor's and Blazor's own files come from static web assets (MapStaticAssets).
/// </summary>
public static partial class DashboardAssets
{
    public const string RequestPath = "/dashboard-assets";

    public static string Folder => Path.Combine(AppContext.BaseDirectory, "dashboard-assets");

    public static WebApplication UseDashboardAssets(this WebApplication app)
    {
        if (!Directory.Exists(Folder))
        {
            LogAssetsMissing(app.Logger, Folder);
            return app;
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Folder),
            RequestPath = RequestPath,
        });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard assets folder {Folder} is missing; the dashboard will render without its own stylesheet")]
    private static partial void LogAssetsMissing(ILogger logger, string folder);
}
