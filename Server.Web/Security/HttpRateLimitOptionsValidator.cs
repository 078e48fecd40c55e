using Microsoft.Extensions.Options;

namespace Punch.Server.Security;

public sealed class HttpRateLimitOptionsValidator : IValidateOptions<HttpRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpRateLimitOptions options)
    {
        var failures = new List<string>();
        Check(options.Api, nameof(HttpRateLimitOptions.Api), failures);
        Check(options.Login, nameof(HttpRateLimitOptions.Login), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(HttpRateLimitOptions.FixedWindow window, string which, List<string> failures)
    {
        var key = $"{HttpRateLimitOptions.SectionName}:{which}";
        if (window.PermitLimit is < 1 or > 1_000_000)
        {
            failures.Add($"{key}:PermitLimit must be from 1 to 1000000.");
        }

        if (window.Window < TimeSpan.FromMilliseconds(100) || window.Window > TimeSpan.FromHours(1))
        {
            failures.Add($"{key}:Window must be between 100 ms and 1 hour.");
        }
    }
}
