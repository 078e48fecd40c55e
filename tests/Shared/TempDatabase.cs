using Microsoft.Data.Sqlite;

namespace Punch.Tests.Shared;

/// <summary>A SQLite file in a folder of its own under the temp folder (the server keeps its key ring beside it), deleted with everything in it on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("punch-test-").FullName;

    public string Path => System.IO.Path.Combine(_folder, "punch.db");

    public string ConnectionString => $"Data Source={Path}";

    /// <summary>Opens the file directly, bypassing the app: proves what is really on disk.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A server process of a crash test may still be letting go of a file; the temp folder is cleaned by the OS later.
        }
    }
}
