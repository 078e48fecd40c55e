using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Punch.Server.Storage;

/// <summary>
/// Sets the per-connection busy timeout on every open, so the writer and the dashboard's readers
/// wait for each other's locks instead of failing with SQLITE_BUSY.
/// (WAL is a property of the file and is set once by <see cref="DatabaseInitializer"/>.)
/// </summary>
public sealed class SqlitePragmas(TimeSpan busyTimeout) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = _pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
