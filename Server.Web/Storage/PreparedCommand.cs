using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Punch.Server.Storage;

/// <summary>
/// A SQLite statement prepared once inside a writer transaction and run for every row of a batch,
/// with one parameter per column (<c>$Column</c>), bound by position.
/// </summary>
public sealed class PreparedCommand : IDisposable
{
    private readonly SqliteCommand _command;

    public PreparedCommand(DbConnection connection, DbTransaction transaction, string sql, IEnumerable<string> parameters)
    {
        _command = (SqliteCommand)connection.CreateCommand();
        _command.Transaction = (SqliteTransaction)transaction;
        _command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            _command.Parameters.Add(new SqliteParameter("$" + parameter, null));
        }

        _command.Prepare();
    }

    /// <summary>INSERT of the columns, returning the row's id.</summary>
    public static string InsertReturningId(string table, IReadOnlyList<string> columns) =>
        $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))}) RETURNING Id;";

    /// <summary>Sets the parameters in the order they were named; null is SQL NULL.</summary>
    public PreparedCommand Bind(params ReadOnlySpan<object?> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            _command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return this;
    }

    public long ExecuteReturningId() => (long)_command.ExecuteScalar()!;

    public void Execute() => _command.ExecuteNonQuery();

    public void Dispose() => _command.Dispose();
}
