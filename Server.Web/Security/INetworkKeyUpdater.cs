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
