using System.Data.Common;

namespace Punch.Server.Storage;

/// <summary>
/// One prepared INSERT for the event log, reused for every event of a writer batch inside the batch's
/// transaction. EF Core's change tracker cost more than SQLite itself for an append-only table
/// (the writer stored ~4,000 events/s through it in a registration flood); the values and their
/// storage forms are the ones <see cref="PunchDbContext"/> maps (enums as text, times as UTC ticks).
/// </summary>
public sealed class EventInsertCommand(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private static readonly string[] Columns =
    [
        nameof(EventRecord.Kind), nameof(EventRecord.At), nameof(EventRecord.Network), nameof(EventRecord.Peer),
        nameof(EventRecord.OtherPeer), nameof(EventRecord.SessionId), nameof(EventRecord.PublicEndpoint), nameof(EventRecord.Candidates),
        nameof(EventRecord.PathKind), nameof(EventRecord.RemoteEndpoint), nameof(EventRecord.ElapsedMs), nameof(EventRecord.RttMs),
        nameof(EventRecord.ChecksSent), nameof(EventRecord.ChecksReceived), nameof(EventRecord.NatMapping), nameof(EventRecord.OtherNatMapping),
        nameof(EventRecord.NatFiltering), nameof(EventRecord.OtherNatFiltering), nameof(EventRecord.Hairpinning), nameof(EventRecord.PortPreserved),
        nameof(EventRecord.Reason), nameof(EventRecord.RelayChannel), nameof(EventRecord.RelayBytes), nameof(EventRecord.BytesDirect),
        nameof(EventRecord.BytesRelayed),
    ];

    private readonly PreparedCommand _insert = new(connection, transaction, PreparedCommand.InsertReturningId("Events", Columns), Columns);

    /// <summary>Stores one event; returns the id SQLite gave it.</summary>
    public long Insert(EventRecord e) => _insert.Bind(
        e.Kind.ToString(), e.At.UtcTicks, e.Network, e.Peer,
        e.OtherPeer, e.SessionId, e.PublicEndpoint, e.Candidates,
        e.PathKind, e.RemoteEndpoint, e.ElapsedMs, e.RttMs,
        e.ChecksSent, e.ChecksReceived, e.NatMapping, e.OtherNatMapping,
        e.NatFiltering, e.OtherNatFiltering, e.Hairpinning, e.PortPreserved,
        e.Reason, e.RelayChannel, e.RelayBytes, e.BytesDirect,
        e.BytesRelayed).ExecuteReturningId();

    public void Dispose() => _insert.Dispose();
}
