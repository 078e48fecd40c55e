using System.Data.Common;

namespace Punch.Server.Storage;

/// <summary>
/// Prepared INSERT and UPDATE of peer rows, reused for every peer a writer batch touches inside the
/// batch's transaction. A registration flood creates a peer per event; through EF Core's change
/// tracker saving them took ~300 ms per 1,500 peers on the 2-core machine, most of each batch.
/// </summary>
public sealed class PeerWriteCommands(DbConnection connection, DbTransaction transaction) : IDisposable
{
    private static readonly string[] Columns =
    [
        nameof(PeerRecord.Network), nameof(PeerRecord.Name), nameof(PeerRecord.PublicEndpoint), nameof(PeerRecord.Candidates),
        nameof(PeerRecord.FirstSeen), nameof(PeerRecord.LastSeen), nameof(PeerRecord.Online), nameof(PeerRecord.NatMapping),
        nameof(PeerRecord.NatFiltering), nameof(PeerRecord.Hairpinning), nameof(PeerRecord.PortPreserved),
    ];

    private readonly PreparedCommand _insert = new(connection, transaction, PreparedCommand.InsertReturningId("Peers", Columns), Columns);

    private readonly PreparedCommand _update = new(connection, transaction,
        $"UPDATE Peers SET {string.Join(", ", Columns.Select(c => $"{c} = ${c}"))} WHERE Id = $Id;", [.. Columns, nameof(PeerRecord.Id)]);

    /// <summary>Stores a new peer and fills in the id SQLite gave it.</summary>
    public void Insert(PeerRecord peer) => peer.Id = _insert.Bind(Values(peer)).ExecuteReturningId();

    public void Update(PeerRecord peer) => _update.Bind([.. Values(peer), peer.Id]).Execute();

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
    }

    /// <summary>Storage forms as <see cref="PunchDbContext"/> maps them: times as UTC ticks, booleans as integers.</summary>
    private static object?[] Values(PeerRecord peer) =>
    [
        peer.Network, peer.Name, peer.PublicEndpoint, peer.Candidates,
        peer.FirstSeen.UtcTicks, peer.LastSeen.UtcTicks, peer.Online, peer.NatMapping,
        peer.NatFiltering, peer.Hairpinning, peer.PortPreserved,
    ];
}
