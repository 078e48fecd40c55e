using Microsoft.Extensions.Options;

namespace Punch.Server.Security;

/// <summary>Fails the start with a message naming the key to fix.</summary>
public sealed class AdminAccessOptionsValidator : IValidateOptions<AdminAccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminAccessOptions options)
    {
        var failures = new List<string>();
        var hasPlain = !string.IsNullOrEmpty(options.AdminPassword);
        var hasHash = !string.IsNullOrEmpty(options.AdminPasswordHash);
        if (hasPlain && hasHash)
        {
            failures.Add($"Set only one of {AdminAccessOptions.PasswordKey} and {AdminAccessOptions.PasswordHashKey}.");
        }

        if (hasPlain && options.AdminPassword!.Length < AdminAccessOptions.MinPasswordLength)
        {
            failures.Add($"{AdminAccessOptions.PasswordKey} must be at least {AdminAccessOptions.MinPasswordLength} characters.");
        }

        if (hasHash && !PasswordHash.IsWellFormed(options.AdminPasswordHash!, out var problem))
        {
            failures.Add($"{AdminAccessOptions.PasswordHashKey} is not a usable hash: {problem}");
        }

        if (options.TokenLifetime < TimeSpan.FromMinutes(1) || options.TokenLifetime > TimeSpan.FromDays(30))
        {
            failures.Add("Dashboard:TokenLifetime must be between 1 minute and 30 days.");
        }

        for (var i = 0; i < options.AllowedOrigins.Count; i++)
        {
            if (RequestOrigin.Normalize(options.AllowedOrigins[i]) is null)
            {
                failures.Add($"{AdminAccessOptions.AllowedOriginsKey}:{i} must be an origin: http or https, a host and an optional port, no path (like https://ops.example.org).");
            }
        }
        if (options.LoginLifetime < TimeSpan.FromMinutes(1) || options.LoginLifetime > TimeSpan.FromDays(30))
        {
            failures.Add("Dashboard:LoginLifetime must be between 1 minute and 30 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
