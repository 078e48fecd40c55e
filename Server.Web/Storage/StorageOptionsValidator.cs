using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Punch.Server.Storage;

/// <summary>Fails the start with a message that names the setting to fix.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (options.BusyTimeout <= TimeSpan.Zero || options.BusyTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Storage:BusyTimeout must be between 0 and 5 minutes.");
        }

        if (options.Retention < TimeSpan.FromHours(1) || options.Retention > TimeSpan.FromDays(3650))
        {
            failures.Add($"Storage:Retention must be between 1 hour and 3650 days (e.g. 30.00:00:00 for 30 days); it is {options.Retention}.");
        }

        if (options.MaxEvents is < StorageOptions.MinMaxEvents or > 1_000_000_000)
        {
            failures.Add($"Storage:MaxEvents must be between {StorageOptions.MinMaxEvents} and 1000000000; it is {options.MaxEvents}.");
        }

        if (options.PruneInterval < TimeSpan.FromMilliseconds(100) || options.PruneInterval > TimeSpan.FromDays(1))
        {
            failures.Add("Storage:PruneInterval must be between 100 ms and 1 day.");
        }

        if (options.PruneBatchSize is < 100 or > 100_000)
        {
            failures.Add("Storage:PruneBatchSize must be between 100 and 100000.");
        }

        if (options.PruneBatchPause < TimeSpan.Zero || options.PruneBatchPause > TimeSpan.FromSeconds(10))
        {
            failures.Add("Storage:PruneBatchPause must be between 0 and 10 seconds.");
        }

        if (!TryParse(options.ConnectionString, out var problem))
        {
            failures.Add($"{StorageOptions.ConnectionStringKey} is not a usable SQLite connection string: {problem}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
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
