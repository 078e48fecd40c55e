namespace Punch.Peer.Hosting;

/// <summary>Points in time as <see cref="TimeProvider"/> timestamps, so a fake clock drives everything in tests.</summary>
internal static class Deadline
{
    public static long After(this TimeProvider time, TimeSpan span, long? from = null) =>
        (from ?? time.GetTimestamp()) + (long)(span.TotalSeconds * time.TimestampFrequency);

    /// <summary>How long until <paramref name="timestamp"/>; zero when it has passed.</summary>
    public static TimeSpan Until(this TimeProvider time, long timestamp)
    {
        long remaining = timestamp - time.GetTimestamp();
        return remaining <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)remaining / time.TimestampFrequency);
    }

    public static bool HasPassed(this TimeProvider time, long timestamp) => time.GetTimestamp() >= timestamp;

    public static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => (a, b) switch
    {
        (null, _) => b,
        (_, null) => a,
        _ => a.Value < b.Value ? a : b,
    };
}
