using Microsoft.Extensions.Options;

namespace Punch.Server.Security;

/// <summary>
/// Refuses to start an open server (no admin password) that would listen where others can reach it,
/// unless <c>Dashboard:AllowAnonymous=true</c> says that is meant. An options validation, so the
/// failure is reported like every other configuration error: one line naming the keys.
/// </summary>
public sealed class HttpBindingValidator(IConfiguration configuration) : IValidateOptions<AdminAccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AdminAccessOptions options)
    {
        if (options.LoginRequired || options.AllowAnonymous)
        {
            return ValidateOptionsResult.Success;
        }

        var reachable = LoopbackBinding.NotLoopback(LoopbackBinding.Configured(configuration));
        if (reachable.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            $"HTTP would listen on {string.Join(", ", reachable)}, which is not loopback, and no {AdminAccessOptions.PasswordKey} (or {AdminAccessOptions.PasswordHashKey}) is set: " +
            $"set one, or set {AdminAccessOptions.AllowAnonymousKey}=true to serve the dashboard, API and hub without a login to everyone who reaches it.");
    }
}
