using System.Collections.Concurrent;
using Punch.Server.Security;

namespace Punch.Server.Tests.Security;

/// <summary>Records what the dashboard and the API hand to the rendezvous.</summary>
public sealed class RecordingNetworkKeys : INetworkKeyUpdater
{
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);

    public void Set(string network, string? key)
    {
        if (key is null)
        {
            _keys.TryRemove(network, out _);
        }
        else
        {
            _keys[network] = key;
        }
    }

    public IReadOnlyCollection<string> ProtectedNetworks => _keys.Keys.ToList();

    public string? KeyOf(string network) => _keys.GetValueOrDefault(network);
}
