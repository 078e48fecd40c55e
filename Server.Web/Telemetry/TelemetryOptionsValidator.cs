using Microsoft.Extensions.Options;

namespace Punch.Server.Telemetry;

/// <summary>Fails the start with a message naming the key to fix (and never prints the token).</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var failures = new List<string>();
        if (options.ScrapeToken is { } token && token.Length < TelemetryOptions.MinScrapeTokenLength)
        {
            failures.Add($"{TelemetryOptions.ScrapeTokenKey} must be at least {TelemetryOptions.MinScrapeTokenLength} characters (got {token.Length}).");
        }

        if (options.MaxNetworkLabels is < 1 or > 1000)
        {
            failures.Add($"{TelemetryOptions.MaxNetworkLabelsKey} must be from 1 to 1000.");
        }

        if (!string.IsNullOrEmpty(options.OtlpEndpoint)
            && (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            failures.Add($"{TelemetryOptions.OtlpEndpointKey} must be an http or https address (like http://collector:4317).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
