using Microsoft.Extensions.Options;

namespace Punch.Server.Relay;

/// <summary>Fails the start with a message that names the key to fix.</summary>
public sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    /// <summary>One largest UDP datagram: a smaller burst could never forward it.</summary>
    public const long MinBurstBytes = 65_536;

    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        var errors = new List<string>();
        string key = RelayOptions.SectionName;
        if (options.BytesPerSecond < 1_000)
        {
            errors.Add($"{key}:BytesPerSecond must be at least 1000 (got {options.BytesPerSecond}).");
        }

        if (options.BurstBytes < MinBurstBytes)
        {
            errors.Add($"{key}:BurstBytes must be at least {MinBurstBytes}, one largest datagram (got {options.BurstBytes}).");
        }

        if (options.MaxBytes < 1)
        {
            errors.Add($"{key}:MaxBytes must be at least 1 (got {options.MaxBytes}).");
        }

        if (options.IdleTimeout < TimeSpan.FromSeconds(1) || options.IdleTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{key}:IdleTimeout must be between 00:00:01 and 01:00:00 (got {options.IdleTimeout}).");
        }

        if (options.DirectGrace < TimeSpan.Zero || options.DirectGrace > TimeSpan.FromMinutes(1))
        {
            errors.Add($"{key}:DirectGrace must be between 00:00:00 and 00:01:00 (got {options.DirectGrace}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
