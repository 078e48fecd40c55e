using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The keys of the keyed networks, right now: filled from <see cref="NetworksOptions"/> at start and
/// changed at run time by <see cref="Set"/> (the admin page, which also persists them). Only the
/// derived signing keys (<see cref="MessageAuthentication.DeriveKey"/>) are kept. Thread-safe: reads
/// (every request of the receive loop) take no lock, writes replace an immutable map.
/// </summary>
public sealed class NetworkKeys : Security.INetworkKeyUpdater
{
    private readonly Lock _writeGate = new();
    private volatile ImmutableDictionary<string, byte[]> _keys = ImmutableDictionary.Create<string, byte[]>(StringComparer.Ordinal);

    public NetworkKeys(IOptions<NetworksOptions> options)
    {
        foreach (var (network, settings) in options.Value.Networks)
        {
            if (settings.Key is not null)
            {
                Set(network, settings.Key);
            }
        }
    }

    /// <summary>
    /// Raised (with the network's name) after a network's key was set, changed or removed. The
    /// rendezvous forgets that network's registrations then, so every peer proves the new key.
    /// </summary>
    public event Action<string>? KeyChanged;

    public IReadOnlyCollection<string> ProtectedNetworks => [.. _keys.Keys.Order(StringComparer.Ordinal)];

    public bool RequiresKey(string network) => _keys.ContainsKey(network);

    /// <summary>No network has a key: no request needs its claimed identity read before it is handled.</summary>
    public bool IsEmpty => _keys.IsEmpty;

    /// <summary>The signing key of <paramref name="network"/> (derived; callers must not change it).</summary>
    public bool TryGetKey(string network, out byte[] derivedKey) => _keys.TryGetValue(network, out derivedKey!);

    /// <summary>How to sign a message to a peer of <paramref name="network"/> now; null when the network is open.</summary>
    public MessageSignature? SignatureFor(string network, DateTimeOffset now) =>
        _keys.TryGetValue(network, out var key) ? new MessageSignature(key, now) : null;

    /// <summary>Sets (or with null removes) the key of <paramref name="network"/>.</summary>
    /// <exception cref="ArgumentException">The network name is invalid or the key shorter than <see cref="MessageAuthentication.MinKeyLength"/>.</exception>
    public void Set(string network, string? key)
    {
        if (PeerIdentity.Validate(network, "network") is { } problem)
        {
            throw new ArgumentException(problem, nameof(network));
        }

        if (key is not null && key.Length < MessageAuthentication.MinKeyLength)
        {
            throw new ArgumentException($"the key of network {network} must be at least {MessageAuthentication.MinKeyLength} characters (got {key.Length}).", nameof(key));
        }

        lock (_writeGate)
        {
            var before = _keys.GetValueOrDefault(network);
            var after = key is null ? null : MessageAuthentication.DeriveKey(network, key);
            if (before is null ? after is null : after is not null && CryptographicOperations.FixedTimeEquals(before, after))
            {
                return;
            }

            _keys = after is null ? _keys.Remove(network) : _keys.SetItem(network, after);
        }

        KeyChanged?.Invoke(network);
    }
}
