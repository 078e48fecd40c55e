using Microsoft.Extensions.Options;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>Fails the start with a message that names the key to fix (and never prints a key).</summary>
public sealed class NetworksOptionsValidator : IValidateOptions<NetworksOptions>
{
    public ValidateOptionsResult Validate(string? name, NetworksOptions options)
    {
        var errors = new List<string>();
        foreach (var (network, settings) in options.Networks)
        {
            string key = $"{NetworksOptions.SectionName}:{network}";
            if (!PeerIdentity.IsValidName(network))
            {
                errors.Add($"{key}: a network name must be 1-{PeerIdentity.MaxNameBytes} characters of A-Z, a-z, 0-9, '.', '_' or '-'.");
            }

            // Present but short (an empty value included): a typo must not leave the network open.
            if (settings.Key is { } value && value.Length < MessageAuthentication.MinKeyLength)
            {
                errors.Add($"{key}:Key must be at least {MessageAuthentication.MinKeyLength} characters (got {value.Length}).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
