using System.Diagnostics.Metrics;
using Punch.Server.Telemetry;

namespace Punch.Server.Relay;

/// <summary>
/// Relay traffic since start, as instruments of the meter <see cref="ServerMeter.Name"/>: the forwarder
/// counts here, the API and the relay page read the same instruments' totals through
/// <see cref="ServerMeter"/>, <c>/metrics</c> exports them. Frames dropped as malformed or for an
/// unknown channel are also counted by the rendezvous as malformed (the forwarder says so there too),
/// so <c>punch.relay.dropped</c> is the relay's breakdown, not more drops.
/// </summary>
public sealed class RelayStats
{
    private readonly ServerMeter _meter;
    private readonly Counter<long> _packets;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _dropped;
    private readonly KeyValuePair<string, object?> _foreignSource = new("reason", RelayDropReason.ForeignSource);
    private readonly KeyValuePair<string, object?> _unknownChannel = new("reason", RelayDropReason.UnknownChannel);
    private readonly KeyValuePair<string, object?> _notForwarding = new("reason", RelayDropReason.NotForwarding);
    private readonly KeyValuePair<string, object?> _malformed = new("reason", RelayDropReason.Malformed);

    public RelayStats(ServerMeter meter)
    {
        _meter = meter;
        _packets = meter.Meter.CreateCounter<long>("punch.relay.packets", "{packet}", "Relayed frames forwarded to the other side");
        _bytes = meter.Meter.CreateCounter<long>("punch.relay.bytes", "By", "Bytes of relayed frames forwarded (ChannelData header included)");
        _dropped = meter.Meter.CreateCounter<long>("punch.relay.dropped", "{packet}", "Relay frames not forwarded, by reason");
    }

    public void Forwarded(int bytes)
    {
        _packets.Add(1);
        _bytes.Add(bytes);
    }

    /// <summary>A frame for a live channel from an address that is neither side's: the relay is not open.</summary>
    public void DroppedForeignSource() => _dropped.Add(1, _foreignSource);

    public void DroppedUnknownChannel() => _dropped.Add(1, _unknownChannel);

    /// <summary>From a bound side, but the other side has not activated, or forwarding is released or stopped by a limit.</summary>
    public void DroppedNotForwarding() => _dropped.Add(1, _notForwarding);

    /// <summary>A ChannelData length larger than the datagram (RFC 8656 §12.5) or a datagram larger than the receive buffer.</summary>
    public void DroppedMalformed() => _dropped.Add(1, _malformed);

    /// <summary>Every series starts at 0 once the exporters listen (see <see cref="Telemetry.ZeroSeries"/>).</summary>
    public void PublishZeros()
    {
        _packets.Add(0);
        _bytes.Add(0);
        foreach (var reason in (KeyValuePair<string, object?>[])[_foreignSource, _unknownChannel, _notForwarding, _malformed])
            _dropped.Add(0, reason);
    }

    public RelayCounters Snapshot() => new(
        _meter.Total(_packets),
        _meter.Total(_bytes),
        _meter.Of(_dropped, RelayDropReason.ForeignSource),
        _meter.Of(_dropped, RelayDropReason.UnknownChannel),
        _meter.Of(_dropped, RelayDropReason.NotForwarding),
        _meter.Of(_dropped, RelayDropReason.Malformed));
}

/// <summary>The <c>reason</c> label of <c>punch.relay.dropped</c>: a fixed set.</summary>
public static class RelayDropReason
{
    public const string ForeignSource = "foreign_source";
    public const string UnknownChannel = "unknown_channel";
    public const string NotForwarding = "not_forwarding";
    public const string Malformed = "malformed";
}

public sealed record RelayCounters(
    long PacketsForwarded,
    long BytesForwarded,
    long DroppedForeignSource,
    long DroppedUnknownChannel,
    long DroppedNotForwarding,
    long DroppedMalformed);
