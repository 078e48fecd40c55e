using System.Globalization;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard.Shared;

/// <summary>The time axis both activity charts share: one label per bucket, every few shown so they do not overlap.</summary>
public static class ChartAxis
{
    /// <summary>Labels for the buckets from <paramref name="start"/>: "HH:mm" (UTC, as the rest of the dashboard), every sixth one shown.</summary>
    public static string[] Times(ActivityWindow window, DateTimeOffset start) =>
        [.. Enumerable.Range(0, window.Buckets()).Select(i => i % 6 == 0
            ? (start + i * window.Bucket()).ToUniversalTime().ToString("HH:mm", CultureInfo.InvariantCulture)
            : string.Empty)];

    public static string Describe(ActivityWindow window) =>
        window == ActivityWindow.Hour ? "last hour, per minute (UTC)" : "last day, per half hour (UTC)";
}
