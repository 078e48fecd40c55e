using System.Collections.Concurrent;

namespace Punch.Server.Security;

/// <summary>
/// The rendezvous side of network keys: what the dashboard calls when an admin sets or removes a
/// key, and what it asks to show which networks are protected (by configuration or by an admin).
/// The rendezvous's <c>NetworkKeys</c> implements it; register it with
/// <see cref="SecurityRegistration.AddNetworkKeyUpdater{T}"/>.
/// </summary>
public interface INetworkKeyUpdater
{
    /// <summary>Sets the network's key, or with null removes it so the network is open again.</summary>
    void Set(string network, string? key);

    IReadOnlyCollection<string> ProtectedNetworks { get; }
}

/// <summary>
/// Stands in when no rendezvous implementation is registered: remembers keys so the dashboard and
/// the API behave the same, but enforces nothing on the UDP side.
/// </summary>
public sealed class InMemoryNetworkKeys : INetworkKeyUpdater
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public void Set(string network, string? key)
    {
        if (key is null)
            _keys.TryRemove(network, out _);
        else
            _keys[network] = key;
    }

    public IReadOnlyCollection<string> ProtectedNetworks => _keys.Keys.ToList();

    public string? KeyOf(string network) => _keys.GetValueOrDefault(network);
}
