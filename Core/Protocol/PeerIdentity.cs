namespace Punch.Core.Protocol;

/// <summary>Who a peer is: a name, unique among the live peers of its network.</summary>
public readonly record struct PeerIdentity(string Network, string Name)
{
    public const string DefaultNetwork = "default";
    public const int MaxNameBytes = 64;

    /// <summary>Names are ASCII letters, digits, '.', '_' and '-', 1-64 characters: printable everywhere, safe in URLs and logs.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameBytes)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    public static string? Validate(string? name, string what) =>
        IsValidName(name) ? null : $"{what} must be 1-{MaxNameBytes} characters of A-Z, a-z, 0-9, '.', '_' or '-' (got '{name}').";

    public override string ToString() => $"{Name}@{Network}";
}
