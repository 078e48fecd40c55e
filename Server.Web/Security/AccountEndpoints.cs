using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Punch.Server.Hosting;

namespace Punch.Server.Security;

/// <summary>Login and logout for people (form posts from the login page) and tokens for API clients.</summary>
public static partial class AccountEndpoints
{
    public const string LoginPagePath = "/login";
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string TokenPath = HttpPaths.Api + "/token";
    private const string AdminName = "admin";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // [FromForm] parameters make the antiforgery middleware check the login form's token.
        endpoints.MapPost(LoginPath, LoginAsync).AllowAnonymous().RequireRateLimiting(SecurityRegistration.LoginRateLimitPolicy);
        // Logout has no form fields to bind, so it asks for the antiforgery check explicitly.
        endpoints.MapPost(LogoutPath, (Delegate)LogoutAsync).AllowAnonymous().WithMetadata(new RequireAntiforgeryTokenAttribute());
        endpoints.MapPost(TokenPath, IssueTokenAsync).AllowAnonymous().RequireRateLimiting(SecurityRegistration.LoginRateLimitPolicy);
        return endpoints;
    }

    private static async Task<RedirectHttpResult> LoginAsync(
        [FromForm] string? password, [FromForm] string? returnUrl, HttpContext context, IOptions<AdminAccessOptions> access, ILogger<AdminAccessOptions> logger)
    {
        var target = SafeReturnUrl(returnUrl);
        if (!access.Value.LoginRequired)
        {
            return TypedResults.LocalRedirect(target);
        }

        if (!access.Value.IsAdminPassword(password))
        {
            LogLoginFailed(logger, SecurityRegistration.ClientKey(context.Connection.RemoteIpAddress), "login form");
            return TypedResults.LocalRedirect($"{LoginPagePath}?failed=true&ReturnUrl={Uri.EscapeDataString(target)}");
        }
        await context.SignInAsync(SecurityRegistration.CookieScheme, Admin(SecurityRegistration.CookieScheme));
        return TypedResults.LocalRedirect(target);
    }

    private static async Task<RedirectHttpResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(SecurityRegistration.CookieScheme);
        return TypedResults.LocalRedirect(LoginPagePath);
    }

    public sealed record TokenRequest(string? Password);

    /// <summary>
    /// <c>POST /api/token {"password": "..."}</c> answers ASP.NET's bearer token response
    /// (<c>accessToken</c>, <c>expiresIn</c> seconds); send it as <c>Authorization: Bearer</c>, or to the hub as <c>access_token</c>.
    /// </summary>
    private static async Task<Results<SignInHttpResult, ValidationProblem, ProblemHttpResult>> IssueTokenAsync(
        HttpRequest request, IOptions<AdminAccessOptions> access, ILogger<AdminAccessOptions> logger, CancellationToken cancellationToken)
    {
        if (!access.Value.LoginRequired)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Logins are off.",
                detail: $"No {AdminAccessOptions.PasswordKey} is configured: the API is open (on loopback only unless {AdminAccessOptions.AllowAnonymousKey}) and needs no token.");
        }

        var errors = new Dictionary<string, string[]>();
        var body = await ProblemResponses.ReadJsonAsync<TokenRequest>(request, errors, cancellationToken);
        if (body is not null && string.IsNullOrEmpty(body.Password))
        {
            errors["password"] = ["password is required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!access.Value.IsAdminPassword(body!.Password))
        {
            LogLoginFailed(logger, SecurityRegistration.ClientKey(request.HttpContext.Connection.RemoteIpAddress), "token request");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong password.");
        }
        return TypedResults.SignIn(Admin(SecurityRegistration.BearerScheme), authenticationScheme: SecurityRegistration.BearerScheme);
    }

    private static ClaimsPrincipal Admin(string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminName)], scheme));

    /// <summary>Only a path on this server: an open redirect would let a phishing link borrow the login page.</summary>
    public static string SafeReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048 || returnUrl[0] != '/')
        {
            return "/";
        }
        // "//host" and "/\host" are read by browsers as another host.
        if (returnUrl.Length > 1 && (returnUrl[1] == '/' || returnUrl[1] == '\\'))
        {
            return "/";
        }

        if (returnUrl.Any(char.IsControl))
        {
            return "/";
        }

        return returnUrl;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wrong admin password from {Client} ({Via})")]
    private static partial void LogLoginFailed(ILogger logger, string client, string via);
}
