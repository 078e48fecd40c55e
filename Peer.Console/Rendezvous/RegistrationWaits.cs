using Punch.Peer.Hosting;

namespace Punch.Peer.Rendezvous;

/// <summary>
/// What the first registration waits for before it counts as done, each within its own bound: NAT discovery
/// (<see cref="RegistrationDiscovery.Wait"/>), the router's port mapping (<c>PortMappingSettings.DiscoveryBudget</c>) and
/// the public endpoint of the other family (<see cref="OtherFamilyProbe"/>, <see cref="RegistrationDiscovery.Wait"/>).
/// Both run in parallel with the Register, so the wait is the longest of them, not their sum.
/// </summary>
internal sealed class RegistrationWaits(TimeProvider time)
{
    private long? _discoveryUntil;
    private long? _portMappingUntil;
    private long? _otherFamilyUntil;

    public void ExpectDiscovery(TimeSpan wait) => _discoveryUntil = time.After(wait);

    public void ExpectPortMapping(TimeSpan wait) => _portMappingUntil = time.After(wait);

    public void DiscoveryDone() => _discoveryUntil = null;

    public void ExpectOtherFamily(TimeSpan wait) => _otherFamilyUntil = time.After(wait);

    public void OtherFamilyDone() => _otherFamilyUntil = null;

    /// <summary>Ends the port mapping wait; true when it was running (the answer came within the bound or late).</summary>
    public bool PortMappingDone()
    {
        bool wasWaiting = _portMappingUntil is not null;
        _portMappingUntil = null;
        return wasWaiting;
    }

    /// <summary>Any is still running within its bound.</summary>
    public bool StillWaiting => Pending.Any(until => !time.HasPassed(until));

    /// <summary>When the wait ends at the latest; null when nothing is awaited.</summary>
    public TimeSpan? Until() => Pending.Any() ? Pending.Max(until => time.Until(until)) : null;

    private IEnumerable<long> Pending => new[] { _discoveryUntil, _portMappingUntil, _otherFamilyUntil }.OfType<long>();
}
