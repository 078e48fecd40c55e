namespace Punch.Server.Hosting;

/// <summary>
/// ASP.NET Core takes the working directory as the content root. A published app started from
/// elsewhere (<c>dotnet /opt/punch/Punch.Server.Web.dll</c>) would then miss its appsettings.json and
/// its wwwroot (MudBlazor's and Blazor's files). When the binaries sit beside a published wwwroot,
/// they are the content root wherever the process was started. Under <c>dotnet run</c> and in test
/// hosts there is no such folder (static web assets are served from their sources) and the default stays.
/// </summary>
public static class PublishedLayout
{
    public static string? ContentRootOrDefault() =>
        Directory.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot")) ? AppContext.BaseDirectory : null;
}
