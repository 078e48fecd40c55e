using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Punch.Server.Storage;

/// <summary>Where and how the SQLite store lives. The connection string comes from <c>ConnectionStrings:Punch</c>.</summary>
public sealed class StorageOptions
{
    public const string ConnectionStringName = "Punch";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string DefaultConnectionString = "Data Source=punch.db";

    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>How long a connection waits for a lock held by another connection before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>Fails the start with a message that names the setting to fix.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(5))
            return ValidateOptionsResult.Fail("Storage:BusyTimeout must be between 0 and 5 minutes.");

        return TryParse(options.ConnectionString, out var problem)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{StorageOptions.ConnectionStringKey} is not a usable SQLite connection string: {problem}");
    }

    private static bool TryParse(string connectionString, out string problem)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            problem = "it is empty (expected e.g. \"Data Source=punch.db\").";
            return false;
        }
        try
        {
            var parsed = new SqliteConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(parsed.DataSource))
            {
                problem = "it has no Data Source (expected e.g. \"Data Source=punch.db\").";
                return false;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            problem = ex.Message;
            return false;
        }
        problem = "";
        return true;
    }
}
