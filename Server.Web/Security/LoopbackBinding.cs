using System.Net;

namespace Punch.Server.Security;

/// <summary>
/// Without an admin password anyone who reaches the dashboard may read it and set network keys, so
/// the server then listens on loopback only. Rather than refusing to start (a fresh
/// <c>dotnet run</c> or a container with <c>ASPNETCORE_URLS=http://+:5080</c> should just work on
/// the machine itself), every configured address that is not loopback is rewritten to
/// <c>localhost</c> on the same scheme and port, and the start log says so.
/// </summary>
public static class LoopbackBinding
{
    /// <summary>Kestrel's own default when nothing is configured; it is loopback already.</summary>
    public const string KestrelDefaultUrl = "http://localhost:5000";

    /// <summary>The URLs to listen on instead of <paramref name="urls"/>: loopback ones unchanged, any other host replaced by <c>localhost</c>, duplicates dropped.</summary>
    public static IReadOnlyList<string> Restrict(IEnumerable<string> urls) =>
        urls.Select(url => url.Trim()).Where(url => url.Length > 0).Select(RestrictOne).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    public static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    private static string RestrictOne(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            // Kestrel will refuse it at start with its own message; do not hide that.
            return url;
        }
        if (address.IsUnixPipe || address.IsNamedPipe || IsLoopbackHost(address.Host))
            return url;
        return $"{address.Scheme}://localhost:{address.Port}{address.PathBase}";
    }

    /// <summary>The addresses the configuration asks for, in Kestrel's order of precedence (urls, then http_ports/https_ports).</summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        if (configuration["urls"] is { Length: > 0 } urls)
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var fromPorts = Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).ToList();
        return fromPorts.Count > 0 ? fromPorts : [KestrelDefaultUrl];
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}");

    /// <summary>
    /// Rewrites the configuration in place when no login is required: <c>urls</c> (which wins over
    /// http_ports) and every <c>Kestrel:Endpoints:*:Url</c>. Returns what was decided, for the start log.
    /// </summary>
    public static HttpBindingPlan Apply(IConfiguration configuration, bool loginRequired)
    {
        var configured = Configured(configuration);
        if (loginRequired)
            return new HttpBindingPlan(LoopbackOnly: false, configured, configured);
        var restricted = Restrict(configured);
        configuration["urls"] = string.Join(';', restricted);
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } endpointUrl)
                endpoint["Url"] = RestrictOne(endpointUrl);
        }
        return new HttpBindingPlan(LoopbackOnly: true, configured, restricted);
    }
}

/// <summary>What the server was asked to listen on and what it listens on.</summary>
public sealed record HttpBindingPlan(bool LoopbackOnly, IReadOnlyList<string> Configured, IReadOnlyList<string> Effective);
