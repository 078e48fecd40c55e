namespace Punch.Server.Storage;

/// <summary>Where and how the SQLite store lives. The connection string comes from <c>ConnectionStrings:Punch</c>.</summary>
public sealed class StorageOptions
{
    public const string ConnectionStringName = "Punch";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string DefaultConnectionString = "Data Source=punch.db";

    /// <summary>The smallest <see cref="MaxEvents"/>: below it a session's own events would not survive a busy minute.</summary>
    public const long MinMaxEvents = 1_000;

    public string ConnectionString { get; set; } = DefaultConnectionString;

    /// <summary>How long a connection waits for a lock held by another connection before failing.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Events older than this are deleted (with the closed sessions and offline peers only they described).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Most events kept; the oldest beyond it are deleted, whatever their age.</summary>
    public long MaxEvents { get; set; } = 1_000_000;

    /// <summary>How often the pruner looks for events to delete.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Rows one DELETE removes: one short write transaction, so the event writer waits at most that long.</summary>
    public int PruneBatchSize { get; set; } = 5_000;

    /// <summary>Pause between two DELETEs of one run, in which the event writer takes the write lock.</summary>
    public TimeSpan PruneBatchPause { get; set; } = TimeSpan.FromMilliseconds(50);
}
