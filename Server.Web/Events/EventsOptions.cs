using System.ComponentModel.DataAnnotations;

namespace Punch.Server.Events;

/// <summary>The event pipeline's limits (section <c>Events</c>).</summary>
public sealed class EventsOptions
{
    public const string SectionName = "Events";

    /// <summary>Events queued between the UDP loop and the writer; beyond that new events are dropped and counted.</summary>
    [Range(16, 1_000_000)]
    public int Capacity { get; set; } = 10_000;

    /// <summary>Most events stored in one transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>Stored events queued for the hub and the dashboard; beyond that the live feed skips (the database still has them).</summary>
    [Range(16, 1_000_000)]
    public int BroadcastCapacity { get; set; } = 10_000;

    /// <summary>Pause before retrying a batch the database refused (for example while the disk is full).</summary>
    public TimeSpan WriteRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown waits for the queue to reach the database.</summary>
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public static bool HasSaneDurations(EventsOptions options) =>
        options.WriteRetryDelay > TimeSpan.Zero && options.WriteRetryDelay <= TimeSpan.FromMinutes(1)
        && options.ShutdownDrainTimeout > TimeSpan.Zero && options.ShutdownDrainTimeout <= TimeSpan.FromMinutes(5);
}
