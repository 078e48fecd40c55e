using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Punch.Server.Hosting;

namespace Punch.Server.Storage;

/// <summary>
/// Runs before anything else starts (it is the first hosted service and the web server starts after
/// all hosted services): applies migrations, switches the file to WAL, and marks every peer offline,
/// because the in-memory registry is empty after a restart and live peers will re-register.
/// </summary>
public sealed partial class DatabaseInitializer(
    IDbContextFactory<PunchDbContext> contextFactory,
    IOptions<StorageOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        // Microsoft.Data.Sqlite retries a locked database for the command timeout (30 s by default);
        // at start a file another process holds is refused after Storage:BusyTimeout instead.
        db.Database.SetCommandTimeout(options.Value.BusyTimeout);
        try
        {
            var journalMode = await EnableWriteAheadLogAsync(db, options.Value.BusyTimeout, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            var offline = await db.Peers.Where(p => p.Online)
                .ExecuteUpdateAsync(set => set.SetProperty(p => p.Online, false), cancellationToken);
            var dataSource = db.Database.GetDbConnection().DataSource;
            LogReady(logger, dataSource, journalMode, offline);
        }
        catch (SqliteException ex)
        {
            throw new StartupException(
                $"The SQLite database of {StorageOptions.ConnectionStringKey} ('{db.Database.GetDbConnection().DataSource}') could not be opened or migrated: {ex.Message}", ex);
        }
    }

    /// <summary>WAL lets the dashboard read while the writer commits; it is stored in the file, so once is enough.</summary>
    private static async Task<string> EnableWriteAheadLogAsync(PunchDbContext db, TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            command.CommandTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds);
            // Returns the mode now in force: an in-memory database keeps "memory".
            return (await command.ExecuteScalarAsync(cancellationToken)) as string ?? "unknown";
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {DataSource} ready (journal mode {JournalMode}); {PeersMarkedOffline} peers marked offline until they re-register")]
    private static partial void LogReady(ILogger logger, string dataSource, string journalMode, int peersMarkedOffline);
}
