using Punch.Peer.Hosting;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// What the first registration waits for before it counts as done, each within its own bound: NAT discovery
/// (<see cref="RegistrationDiscovery.Wait"/>) and the router's port mapping (<c>PortMappingSettings.DiscoveryBudget</c>).
/// Both run in parallel with the Register, so the wait is the longest of them, not their sum.
/// </summary>
internal sealed class RegistrationWaits(TimeProvider time)
{
    private long? _discoveryUntil;
    private long? _portMappingUntil;

    public void ExpectDiscovery(TimeSpan wait) => _discoveryUntil = time.After(wait);

    public void ExpectPortMapping(TimeSpan wait) => _portMappingUntil = time.After(wait);

    public void DiscoveryDone() => _discoveryUntil = null;

    /// <summary>Ends the port mapping wait; true when it was running (the answer came within the bound or late).</summary>
    public bool PortMappingDone()
    {
        bool wasWaiting = _portMappingUntil is not null;
        _portMappingUntil = null;
        return wasWaiting;
    }

    /// <summary>Either is still running within its bound.</summary>
    public bool StillWaiting =>
        (_discoveryUntil is { } discovery && !time.HasPassed(discovery)) || (_portMappingUntil is { } mapping && !time.HasPassed(mapping));

    /// <summary>When the wait ends at the latest; null when nothing is awaited.</summary>
    public TimeSpan? Until()
    {
        TimeSpan? discovery = _discoveryUntil is { } d ? time.Until(d) : null;
        TimeSpan? mapping = _portMappingUntil is { } m ? time.Until(m) : null;
        return discovery is null ? mapping : mapping is null ? discovery : (discovery > mapping ? discovery : mapping);
    }
}
