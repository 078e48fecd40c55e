namespace Punch.Server.Storage;

/// <summary>The sizes behind each <see cref="ActivityWindow"/>.</summary>
public static class ActivityWindows
{
    public static TimeSpan Length(this ActivityWindow window) => window == ActivityWindow.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    public static TimeSpan Bucket(this ActivityWindow window) => window == ActivityWindow.Hour ? TimeSpan.FromMinutes(1) : TimeSpan.FromMinutes(30);

    public static int Buckets(this ActivityWindow window) => (int)(window.Length() / window.Bucket());

    /// <summary>
    /// The start of the first bucket, aligned to the bucket size so the same wall-clock minute is always
    /// the same bucket, whatever moment the page loads.
    /// </summary>
    public static DateTimeOffset Start(this ActivityWindow window, DateTimeOffset now)
    {
        long bucket = window.Bucket().Ticks;
        long currentBucketStart = now.UtcTicks / bucket * bucket;
        return new DateTimeOffset(currentBucketStart - (window.Buckets() - 1) * bucket, TimeSpan.Zero);
    }

    /// <summary>The bucket <paramref name="at"/> falls in, or -1 outside the window.</summary>
    public static int BucketOf(this ActivityWindow window, DateTimeOffset start, DateTimeOffset at)
    {
        long index = (at.UtcTicks - start.UtcTicks) / window.Bucket().Ticks;
        return at < start || index >= window.Buckets() ? -1 : (int)index;
    }
}
