using Punch.Core.Protocol;

namespace Punch.Server.Security;

/// <summary>What a network name and a network key may be; shared by the API and the dashboard's form.</summary>
public static class NetworkKeyRules
{
    public const int MinKeyLength = 16;
    public const int MaxKeyLength = 256;

    /// <summary>Network names follow the peers' own rule, so every name the rendezvous accepts can be given a key.</summary>
    public static string? ValidateNetwork(string? network) => PeerIdentity.Validate(network, "network");

    /// <summary>
    /// Printable ASCII (spaces allowed inside), 16-256 characters: what a person can type in a terminal
    /// (<c>--key</c>, <c>PUNCH_KEY</c>) and in configuration the same way on every machine.
    /// </summary>
    public static string? ValidateKey(string? key)
    {
        if (string.IsNullOrEmpty(key) || key.Length < MinKeyLength || key.Length > MaxKeyLength)
        {
            return $"key must be {MinKeyLength}-{MaxKeyLength} characters.";
        }

        if (key.Any(c => c is < ' ' or > '~'))
        {
            return "key must be printable ASCII (letters, digits, punctuation, spaces).";
        }

        if (key[0] == ' ' || key[^1] == ' ')
        {
            return "key must not start or end with a space.";
        }

        return null;
    }
}
