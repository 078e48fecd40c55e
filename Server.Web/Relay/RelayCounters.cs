namespace Punch.Server.Relay;

public sealed record RelayCounters(
    long PacketsForwarded,
    long BytesForwarded,
    long DroppedForeignSource,
    long DroppedUnknownChannel,
    long DroppedNotForwarding,
    long DroppedMalformed);
