namespace Punch.Server.Rendezvous;

/// <summary>Per-network settings, section "Networks:&lt;name&gt;". A network not listed (or listed without a key) is open.</summary>
public sealed class NetworksOptions
{
    public const string SectionName = "Networks";

    /// <summary>Bound from the configuration root, so "Networks:home:Key" lands in <c>Networks["home"].Key</c>.</summary>
    public Dictionary<string, NetworkOptions> Networks { get; init; } = new(StringComparer.Ordinal);
}
