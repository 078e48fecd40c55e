using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Punch.Server.Hosting;
using Punch.Server.Storage;

namespace Punch.Server.Security;

/// <summary>
/// Logins (cookie for people, bearer token for API clients, both only when an admin password is
/// configured), the loopback-only binding and host names otherwise, the cross-site guard, HTTP rate
/// limits, and admin-set network keys.
/// </summary>
public static partial class SecurityRegistration
{
    /// <summary>Picks the cookie or the bearer handler per request (see <see cref="SelectScheme"/>).</summary>
    public const string PolicyScheme = "Punch";
    public const string CookieScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string BearerScheme = BearerTokenDefaults.AuthenticationScheme;
    public const string ApiRateLimitPolicy = "api";
    public const string LoginRateLimitPolicy = "login";
    public const string CookieName = "punch-login";

    /// <summary>
    /// Call right after <c>AddPunchStorage</c>: the persisted network keys must be loaded (a hosted
    /// service) before the rendezvous starts answering.
    /// </summary>
    public static IHostApplicationBuilder AddPunchSecurity(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AdminAccessOptions>().Bind(builder.Configuration.GetSection(AdminAccessOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdminAccessOptions>, AdminAccessOptionsValidator>();
        services.AddOptions<HttpRateLimitOptions>().Bind(builder.Configuration.GetSection(HttpRateLimitOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpRateLimitOptions>, HttpRateLimitOptionsValidator>();

        services.AddSingleton<IValidateOptions<AdminAccessOptions>, HttpBindingValidator>();

        AddHostDefaults(services, builder.Configuration);
        AddLogins(services, builder.Configuration);
        AddHttpRateLimits(services);
        AddNetworkKeys(services);
        return builder;
    }

    /// <summary>
    /// Plugs in the rendezvous's implementation of network keys (it replaces the in-memory stand-in).
    /// A plain <c>AddSingleton&lt;INetworkKeyUpdater&gt;</c> registered later works too: the last registration wins.
    /// </summary>
    public static IServiceCollection AddNetworkKeyUpdater<T>(this IServiceCollection services) where T : class, INetworkKeyUpdater
    {
        services.TryAddSingleton<T>();
        services.Replace(ServiceDescriptor.Singleton<INetworkKeyUpdater>(sp => sp.GetRequiredService<T>()));
        return services;
    }

    /// <summary>Rate limits, then who the caller is, then whether they may: before the dashboard's antiforgery and the endpoints.</summary>
    public static WebApplication UsePunchSecurity(this WebApplication app)
    {
        // Once started: a start refused by the options validation should print its one line, not this too.
        app.Lifetime.ApplicationStarted.Register(() => LogBinding(app));
        app.UseMiddleware<CrossSiteRequestGuard>();
        // With an HTTPS endpoint the cookies are HTTPS-only, so people on the HTTP endpoint are sent there
        // (a login over HTTP could not work). API clients, the hub and probes are answered where they ask.
        if (LoopbackBinding.AnyHttps(LoopbackBinding.Configured(app.Configuration)))
        {
            app.UseWhen(context => !context.Request.IsHttps && IsPage(context.Request.Path), https => https.UseHttpsRedirection());
        }

        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapAccountEndpoints();
        return app;
    }

    /// <summary>Addresses for programs, not people: a refusal is a status with problem details, never a login page.</summary>
    public static bool IsApiHubOrMetrics(PathString path) =>
        path.StartsWithSegments(HttpPaths.Api, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(HttpPaths.Hub, StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments(HttpPaths.Metrics, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Without a password the server answers only to the loopback names (and to a specific address it
    /// was told to listen on): a DNS-rebinding page, whose requests carry its own host name, gets 400.
    /// An AllowedHosts set by the operator wins; with a password it stays ASP.NET's default, any host.
    /// Decided from the bound options, so a password from any configuration source counts.
    /// </summary>
    private static void AddHostDefaults(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HostFilteringOptions>().Configure<IOptions<AdminAccessOptions>>((hosts, access) =>
        {
            if (access.Value.LoginRequired || !string.IsNullOrEmpty(configuration["AllowedHosts"]))
            {
                return;
            }

            hosts.AllowedHosts = [.. LoopbackBinding.LoopbackHostNames, .. LoopbackBinding.SpecificHosts(LoopbackBinding.Configured(configuration))];
        });
    }

    private static bool IsPage(PathString path) => !IsApiHubOrMetrics(path) && !path.StartsWithSegments(HttpPaths.Health, StringComparison.OrdinalIgnoreCase);

    private static void AddLogins(IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication(PolicyScheme)
            .AddPolicyScheme(PolicyScheme, "Cookie for people, bearer token for API clients", policy => policy.ForwardDefaultSelector = SelectScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.LoginPath = AccountEndpoints.LoginPagePath;
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                // Lax: a link from elsewhere still opens the dashboard, but no other site can POST with the cookie.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => RedirectPeopleOnly(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => RedirectPeopleOnly(context, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(BearerScheme, bearer => bearer.Events.OnMessageReceived = ReadHubAccessToken);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<AdminAccessOptions>>((cookie, access) => cookie.ExpireTimeSpan = access.Value.LoginLifetime);
        // With an HTTPS endpoint configured the cookies never travel in clear text, even if set by a
        // page served over the HTTP endpoint (the browser then keeps them for HTTPS only); otherwise
        // they are Secure whenever the request was HTTPS.
        // Read when the options are first used (not at registration), so every configuration source counts.
        CookieSecurePolicy Secure() =>
            LoopbackBinding.AnyHttps(LoopbackBinding.Configured(configuration)) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.PostConfigure<CookieAuthenticationOptions>(CookieScheme, cookie => cookie.Cookie.SecurePolicy = Secure());
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = Secure());
        services.AddOptions<BearerTokenOptions>(BearerScheme)
            .Configure<IOptions<AdminAccessOptions>>((bearer, access) => bearer.BearerTokenExpiration = access.Value.TokenLifetime);

        services.AddAuthorization();
        // Decided from the bound options (not at registration), so every configuration source counts.
        // Endpoints that must stay open (health, login, static assets) say AllowAnonymous.
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AdminAccessOptions>>((authorization, access) =>
        {
            if (access.Value.LoginRequired)
            {
                authorization.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            }
        });
    }

    /// <summary>A bearer header wins; the hub's WebSocket cannot send headers from a browser, so it may pass <c>access_token</c>; everything else is the cookie.</summary>
    private static string SelectScheme(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return BearerScheme;
        }

        if (IsHubWithAccessToken(context.Request))
        {
            return BearerScheme;
        }

        return CookieScheme;
    }

    private static bool IsHubWithAccessToken(HttpRequest request) =>
        request.Path.StartsWithSegments(HttpPaths.Hub, StringComparison.OrdinalIgnoreCase) && request.Query.ContainsKey("access_token");

    private static Task ReadHubAccessToken(MessageReceivedContext context)
    {
        if (context.Token is null && IsHubWithAccessToken(context.Request))
        {
            context.Token = context.Request.Query["access_token"];
        }

        return Task.CompletedTask;
    }

    /// <summary>People are sent to the login page; API and hub clients get a status with problem details instead of a redirect to HTML.</summary>
    private static Task RedirectPeopleOnly(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!IsApiHubOrMetrics(context.Request.Path))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return ProblemResponses.WriteAsync(context.HttpContext, status,
            status == StatusCodes.Status401Unauthorized ? "Log in first: send 'Authorization: Bearer <token>' (POST /api/token) or the dashboard's cookie." : "Not allowed.");
    }

    private static void AddHttpRateLimits(IServiceCollection services)
    {
        services.AddSingleton<HttpLimitStats>();
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = OnRateLimitedAsync;
            limiter.AddPolicy(ApiRateLimitPolicy, context => PerClient(context, options => options.Api));
            limiter.AddPolicy(LoginRateLimitPolicy, context => PerClient(context, options => options.Login));
        });
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, Func<HttpRateLimitOptions, HttpRateLimitOptions.FixedWindow> pick)
    {
        var window = pick(context.RequestServices.GetRequiredService<IOptions<HttpRateLimitOptions>>().Value);
        return RateLimitPartition.GetFixedWindowLimiter(ClientKey(context.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = window.Window,
            QueueLimit = 0,
        });
    }

    /// <summary>An IPv6 client usually owns a whole /64, so its partition is the /64; IPv4-mapped addresses count as IPv4.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask OnRateLimitedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        context.RequestServices.GetRequiredService<HttpLimitStats>().Rejected();
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        // Debug only: under a flood a line per rejection would be its own denial of service; the count is in /api/stats.
        var logger = context.RequestServices.GetRequiredService<ILogger<HttpLimitStats>>();
        LogRateLimited(logger, context.Connection.RemoteIpAddress, context.Request.Path);
        await ProblemResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too many requests from this address; try again shortly.");
    }

    private static void AddNetworkKeys(IServiceCollection services)
    {
        // The key ring lives beside the database (folder punch-keys), so the admin-set network keys in
        // the database, logins and tokens all survive a restart; a stolen database file alone does not reveal the keys.
        services.AddDataProtection().SetApplicationName("Punch");
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<StorageOptions>, ILoggerFactory>((keys, storage, loggers) =>
        {
            if (KeyRingFolder(storage.Value.ConnectionString) is { } folder)
            {
                keys.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(folder), loggers);
            }
        });
        services.AddSingleton<NetworkKeyStore>();
        services.AddHostedService<NetworkKeyLoader>();
    }

    /// <summary>The punch-keys folder beside the SQLite file; null for an in-memory database (keys then live in the default place).</summary>
    public static string? KeyRingFolder(string connectionString)
    {
        var dataSource = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:" || connectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataSource)) ?? ".", "punch-keys");
    }

    private static void LogBinding(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<AdminAccessOptions>>().Value.LoginRequired)
        {
            LogLoginRequired(app.Logger);
            return;
        }
        var configured = LoopbackBinding.Configured(app.Configuration);
        var hosts = string.Join(';', app.Services.GetRequiredService<IOptions<HostFilteringOptions>>().Value.AllowedHosts);
        if (LoopbackBinding.NotLoopback(configured) is { Count: > 0 } reachable)
        {
            LogOpenToEveryone(app.Logger, string.Join(';', reachable), hosts);
        }
        else
        {
            LogLoopbackOnly(app.Logger, string.Join(';', configured), hosts);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No Dashboard:AdminPassword or Dashboard:AdminPasswordHash is configured, so the dashboard, API and hub are open, on loopback only ({Configured}), to requests for the hosts {AllowedHosts}. Set a password to serve other addresses")]
    private static partial void LogLoopbackOnly(ILogger logger, string configured, string allowedHosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No admin password and Dashboard:AllowAnonymous=true: the dashboard, API and hub are open to everyone who reaches {Reachable}; requests are answered for the hosts {AllowedHosts} (set AllowedHosts to the names people use)")]
    private static partial void LogOpenToEveryone(ILogger logger, string reachable, string allowedHosts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard, API and hub require a login (admin password configured)")]
    private static partial void LogLoginRequired(ILogger logger);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP rate limit hit by {Client} on {Path}")]
    private static partial void LogRateLimited(ILogger logger, IPAddress? client, PathString path);
}
