using Microsoft.Extensions.Options;
using Punch.Server.Hosting;

namespace Punch.Server.Security;

/// <summary>
/// Keeps pages of other sites away from the API, the hub and the dashboard's circuit, with or
/// without a login (a browser on the server's own machine reaches a loopback-only server too).
/// <list type="bullet">
/// <item>A request with an <c>Origin</c> header that is neither the dashboard's own origin nor listed
/// in <c>Dashboard:AllowedOrigins</c> is refused. Browsers send Origin on every WebSocket handshake,
/// every cross-origin fetch and every POST/PUT/DELETE (Fetch standard, "append a request Origin
/// header"); curl, peers and server-to-server clients send none and are unaffected.</item>
/// <item>State-changing API calls must carry <see cref="RequestHeader"/>: a form, an image or a
/// "simple" fetch cannot add a header, and a fetch that does is preflighted, which this server never
/// answers with CORS headers. That also covers browsers that send no Origin on some requests.</item>
/// </list>
/// A DNS-rebinding page is same-origin by construction (its Host is the attacker's name), so that
/// attack is stopped by AllowedHosts instead (see <see cref="SecurityRegistration"/>).
/// </summary>
public sealed partial class CrossSiteRequestGuard(
    RequestDelegate next, IOptionsMonitor<AdminAccessOptions> access, HttpLimitStats stats, ILogger<CrossSiteRequestGuard> logger)
{
    public const string RequestHeader = "X-Punch-Request";

    /// <summary>Blazor Server's circuit: a page of another site must not drive the dashboard either.</summary>
    private const string BlazorCircuitPath = "/_blazor";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
        var guarded = changesState || SecurityRegistration.IsApiHubOrMetrics(request.Path) || request.Path.StartsWithSegments(BlazorCircuitPath, StringComparison.OrdinalIgnoreCase);
        if (guarded && request.Headers.Origin.Count > 0 && !IsAllowedOrigin(request))
        {
            await RefuseAsync(context, request.Headers.Origin.ToString(),
                $"Requests from pages of another site are refused; list that origin in {AdminAccessOptions.AllowedOriginsKey} to allow it.");
            return;
        }
        if (changesState && NeedsRequestHeader(request.Path) && !request.Headers.ContainsKey(RequestHeader))
        {
            await RefuseAsync(context, $"(none, no {RequestHeader})",
                $"Send the header '{RequestHeader}: 1' with requests that change something (it proves the call is not a cross-site form).");
            return;
        }
        await next(context);
    }

    private Task RefuseAsync(HttpContext context, string origin, string detail)
    {
        // Debug only: a hostile page can make a browser send these as fast as it likes; the count is in /api/stats.
        stats.CrossSiteRefused();
        LogRefused(logger, origin, context.Request.Method, context.Request.Path);
        return ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, detail);
    }

    private bool IsAllowedOrigin(HttpRequest request)
    {
        var origin = RequestOrigin.Normalize(request.Headers.Origin.ToString());
        if (origin is null)
        {
            return false;
        }

        if (origin == RequestOrigin.Of(request))
        {
            return true;
        }

        return access.CurrentValue.AllowedOrigins.Any(allowed => RequestOrigin.Normalize(allowed) == origin);
    }

    /// <summary>
    /// The API except the token request (a login, which gains a page of another site nothing: it cannot
    /// read the answer). The hub's own POSTs (negotiate, long polling) are covered by Origin alone:
    /// SignalR's browser client cannot add headers to its WebSocket.
    /// </summary>
    private static bool NeedsRequestHeader(PathString path) =>
        path.StartsWithSegments(HttpPaths.Api, StringComparison.OrdinalIgnoreCase)
        && !path.Equals(AccountEndpoints.TokenPath, StringComparison.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cross-site request refused: origin {Origin}, {Method} {Path}")]
    private static partial void LogRefused(ILogger logger, string origin, string method, PathString path);
}
