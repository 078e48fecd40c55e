namespace Punch.Peer.PortMapping;

/// <summary>What the port mapping clients dropped: gateway answers that did not read, or did not match what we asked (a hostile or broken gateway).</summary>
internal sealed class PortMappingCounters
{
    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void CountDropped() => Interlocked.Increment(ref _dropped);
}
