using System.Net;

namespace Punch.Server.Security;

/// <summary>
/// What HTTP addresses the configuration asks Kestrel for, and which of them others can reach.
/// Without an admin password anyone who reaches the dashboard may read it and set network keys, so
/// such a server must listen on loopback only unless <c>Dashboard:AllowAnonymous</c> says otherwise
/// (see <see cref="HttpBindingValidator"/>). A refusal rather than a silent rewrite to localhost: in a
/// container a loopback-only dashboard is unreachable, which looked like a broken image.
/// </summary>
public static class LoopbackBinding
{
    /// <summary>Kestrel's own default when nothing is configured; it is loopback already.</summary>
    public const string KestrelDefaultUrl = "http://localhost:5000";

    /// <summary>The names a browser uses for this machine itself; the AllowedHosts default without a password.</summary>
    public static readonly IReadOnlyList<string> LoopbackHostNames = ["localhost", "127.0.0.1", "[::1]"];

    public static bool IsLoopbackHost(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>The configured URLs that others can reach (wildcards, public and LAN addresses, names); pipes and sockets are local.</summary>
    public static IReadOnlyList<string> NotLoopback(IEnumerable<string> urls) =>
        urls.Where(url => TryParse(url) is { } address && !address.IsUnixPipe && !address.IsNamedPipe && !IsLoopbackHost(address.Host)).ToList();

    /// <summary>The host names and addresses of configured URLs that are neither loopback nor a wildcard (<c>*</c>, <c>+</c>, 0.0.0.0, [::]).</summary>
    public static IReadOnlyList<string> SpecificHosts(IEnumerable<string> urls) =>
        NotLoopback(urls).Select(url => TryParse(url)!.Host).Where(host => !IsWildcard(host)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static bool IsWildcard(string host) =>
        host is "*" or "+" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)));

    /// <summary>Whether any configured URL is HTTPS: then cookies are sent over HTTPS only, whichever endpoint set them.</summary>
    public static bool AnyHttps(IEnumerable<string> urls) =>
        urls.Any(url => TryParse(url) is { } address && address.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The addresses Kestrel will listen on, in its order of precedence: <c>Kestrel:Endpoints</c>
    /// (which override everything else), then urls, then http_ports/https_ports, then its default.
    /// </summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0).ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }

        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        var fromPorts = Ports(configuration["http_ports"], "http").Concat(Ports(configuration["https_ports"], "https")).ToList();
        return fromPorts.Count > 0 ? fromPorts : [KestrelDefaultUrl];
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"{scheme}://*:{port}");

    private static BindingAddress? TryParse(string url)
    {
        try
        {
            return BindingAddress.Parse(url.Trim());
        }
        catch (FormatException)
        {
            // Kestrel will refuse it at start with its own message; do not hide that.
            return null;
        }
    }
}
