using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Events;

namespace Punch.Tests.Shared;

/// <summary>
/// The real server in-process, on its own SQLite file. Pass the same <see cref="TempDatabase"/> to a
/// second factory to "restart" the server on the same data.
/// </summary>
public class PunchAppFactory(TempDatabase database, IReadOnlyDictionary<string, string?>? settings = null)
    : WebApplicationFactory<Program>
{
    public TempDatabase Database => database;

    public IPunchEventSink Sink => Services.GetRequiredService<IPunchEventSink>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Punch", database.ConnectionString);
        // Port 0: the UDP rendezvous binds an ephemeral loopback port, never the real 3478.
        builder.UseSetting("Rendezvous:Port", "0");
        builder.UseSetting("Rendezvous:BindAddress", "127.0.0.1");
        builder.UseSetting("Rendezvous:AlternatePort", "0");
        builder.UseSetting("Dashboard:RefreshInterval", "00:00:00.050");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
    }
}

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
