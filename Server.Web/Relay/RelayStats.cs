namespace Punch.Server.Relay;

/// <summary>
/// Relay traffic since start. Forwarded counters have one writer (the main socket's receive thread),
/// drops may also be counted there only, so plain increments published with Volatile are enough; the
/// API and the relay page read snapshots.
/// </summary>
public sealed class RelayStats
{
    private long _packetsForwarded;
    private long _bytesForwarded;
    private long _droppedForeignSource;
    private long _droppedUnknownChannel;
    private long _droppedNotForwarding;
    private long _droppedMalformed;

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
}

public sealed record RelayCounters(
    long PacketsForwarded,
    long BytesForwarded,
    long DroppedForeignSource,
    long DroppedUnknownChannel,
    long DroppedNotForwarding,
    long DroppedMalformed);
