using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Punch.Server.Storage;

/// <summary>
/// Prepared INSERT and UPDATE of peer rows, reused for every peer a writer batch touches inside the
/// batch's transaction. A registration flood creates a peer per event; through EF Core's change
/// tracker saving them took ~300 ms per 1,500 peers on the 2-core machine, most of each batch.
/// </summary>
public sealed class PeerWriteCommands : IDisposable
{
    private static readonly string[] Columns =
    [
        nameof(PeerRecord.Network), nameof(PeerRecord.Name), nameof(PeerRecord.PublicEndpoint), nameof(PeerRecord.Candidates),
        nameof(PeerRecord.FirstSeen), nameof(PeerRecord.LastSeen), nameof(PeerRecord.Online), nameof(PeerRecord.NatMapping),
        nameof(PeerRecord.NatFiltering), nameof(PeerRecord.Hairpinning), nameof(PeerRecord.PortPreserved),
    ];

    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;

    public PeerWriteCommands(DbConnection connection, DbTransaction transaction)
    {
        _insert = Prepare(connection, transaction,
            $"INSERT INTO Peers ({string.Join(", ", Columns)}) VALUES ({string.Join(", ", Columns.Select(c => "$" + c))}) RETURNING Id;");
        _update = Prepare(connection, transaction,
            $"UPDATE Peers SET {string.Join(", ", Columns.Select(c => $"{c} = ${c}"))} WHERE Id = $Id;");
        _update.Parameters.Add(new SqliteParameter("$Id", null));
    }

    /// <summary>Stores a new peer and fills in the id SQLite gave it.</summary>
    public void Insert(PeerRecord peer)
    {
        Bind(_insert, peer);
        peer.Id = (long)_insert.ExecuteScalar()!;
    }

    public void Update(PeerRecord peer)
    {
        Bind(_update, peer);
        _update.Parameters["$Id"].Value = peer.Id;
        _update.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
    }

    private static SqliteCommand Prepare(DbConnection connection, DbTransaction transaction, string sql)
    {
        var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = sql;
        foreach (var column in Columns)
            command.Parameters.Add(new SqliteParameter("$" + column, null));
        return command;
    }

    private static void Bind(SqliteCommand command, PeerRecord peer)
    {
        // Storage forms as PunchDbContext maps them: times as UTC ticks, booleans as integers.
        object?[] values =
        [
            peer.Network, peer.Name, peer.PublicEndpoint, peer.Candidates,
            peer.FirstSeen.UtcTicks, peer.LastSeen.UtcTicks, peer.Online, peer.NatMapping,
            peer.NatFiltering, peer.Hairpinning, peer.PortPreserved,
        ];
        for (int i = 0; i < values.Length; i++)
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
