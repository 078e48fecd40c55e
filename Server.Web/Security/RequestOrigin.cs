namespace Punch.Server.Security;

/// <summary>Web origins (RFC 6454: scheme, host, port) in one comparable form, <c>https://host:443</c>.</summary>
public static class RequestOrigin
{
    /// <summary>The origin in canonical form (lower case, explicit port), or null when it is none (a path, a query, <c>null</c>, another scheme).</summary>
    public static string? Normalize(string? origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri))
        {
            return null;
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return null;
        }

        return $"{uri.Scheme}://{uri.Host.ToLowerInvariant()}:{uri.Port}";
    }

    /// <summary>The origin the request was sent to: what the dashboard's own pages send as their Origin.</summary>
    public static string? Of(HttpRequest request) => Normalize($"{request.Scheme}://{request.Host.Value}");
}
