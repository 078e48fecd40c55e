using Microsoft.Extensions.Options;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>Per-network settings, section "Networks:&lt;name&gt;". A network not listed (or listed without a key) is open.</summary>
public sealed class NetworksOptions
{
    public const string SectionName = "Networks";

    /// <summary>Bound from the configuration root, so "Networks:home:Key" lands in <c>Networks["home"].Key</c>.</summary>
    public Dictionary<string, NetworkOptions> Networks { get; init; } = new(StringComparer.Ordinal);
}

public sealed class NetworkOptions
{
    /// <summary>
    /// The network key, at least <see cref="MessageAuthentication.MinKeyLength"/> characters. Peers of the
    /// network sign every request with a key derived from it (<c>punch --key</c>); absent: anyone may join.
    /// </summary>
    public string? Key { get; set; }
}

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
