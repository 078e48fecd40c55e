using System.Diagnostics.Metrics;
using Punch.Server.Telemetry;

namespace Punch.Server.Relay;

/// <summary>
/// Relay traffic since start, as instruments of the meter <see cref="ServerMeter.Name"/>. Every count
/// is per datagram (a flood of frames for unknown channels included), so each is a field, published as
/// an ObservableCounter that reads it and read by <see cref="Snapshot"/> for the API and the relay page:
/// one value, both readers (why fields and not Counter Adds: see <see cref="Rendezvous.RendezvousStats"/>).
/// Forwarded counters have one writer (the main socket's receive thread), so plain increments published
/// with Volatile are enough. Frames dropped as malformed or for an unknown channel are also counted by
/// the rendezvous as malformed (the forwarder says so there too), so <c>punch.relay.dropped</c> is the
/// relay's breakdown, not more drops.
/// </summary>
public sealed class RelayStats
{
    private long _packetsForwarded;
    private long _bytesForwarded;
    private long _droppedForeignSource;
    private long _droppedUnknownChannel;
    private long _droppedNotForwarding;
    private long _droppedMalformed;

    public RelayStats(ServerMeter meter)
    {
        var m = meter.Meter;
        m.CreateObservableCounter("punch.relay.packets", () => Volatile.Read(ref _packetsForwarded), "{packet}", "Relayed frames forwarded to the other side");
        m.CreateObservableCounter("punch.relay.bytes", () => Volatile.Read(ref _bytesForwarded), "By", "Bytes of relayed frames forwarded (ChannelData header included)");
        m.CreateObservableCounter("punch.relay.dropped", DroppedMeasurements, "{packet}", "Relay frames not forwarded, by reason");
    }

    public void Forwarded(int bytes)
    {
        Volatile.Write(ref _packetsForwarded, _packetsForwarded + 1);
        Volatile.Write(ref _bytesForwarded, _bytesForwarded + bytes);
    }

    /// <summary>A frame for a live channel from an address that is neither side's: the relay is not open.</summary>
    public void DroppedForeignSource() => Interlocked.Increment(ref _droppedForeignSource);

    public void DroppedUnknownChannel() => Interlocked.Increment(ref _droppedUnknownChannel);

    /// <summary>From a bound side, but the other side has not activated, or forwarding is released or stopped by a limit.</summary>
    public void DroppedNotForwarding() => Interlocked.Increment(ref _droppedNotForwarding);

    /// <summary>A ChannelData length larger than the datagram (RFC 8656 §12.5) or a datagram larger than the receive buffer.</summary>
    public void DroppedMalformed() => Interlocked.Increment(ref _droppedMalformed);

    public RelayCounters Snapshot() => new(
        Volatile.Read(ref _packetsForwarded),
        Volatile.Read(ref _bytesForwarded),
        Interlocked.Read(ref _droppedForeignSource),
        Interlocked.Read(ref _droppedUnknownChannel),
        Interlocked.Read(ref _droppedNotForwarding),
        Interlocked.Read(ref _droppedMalformed));

    private IEnumerable<Measurement<long>> DroppedMeasurements()
    {
        var counters = Snapshot();
        return
        [
            new(counters.DroppedForeignSource, new KeyValuePair<string, object?>("reason", RelayDropReason.ForeignSource)),
            new(counters.DroppedUnknownChannel, new KeyValuePair<string, object?>("reason", RelayDropReason.UnknownChannel)),
            new(counters.DroppedNotForwarding, new KeyValuePair<string, object?>("reason", RelayDropReason.NotForwarding)),
            new(counters.DroppedMalformed, new KeyValuePair<string, object?>("reason", RelayDropReason.Malformed)),
        ];
    }
}
