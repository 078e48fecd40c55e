using System.Globalization;

namespace Punch.ScaleBench;

/// <summary>Round-trip times in 10 µs buckets up to 1 s (the rest in one overflow bucket); thread-safe, no allocation per sample.</summary>
public sealed class LatencyHistogram
{
    private const double BucketMicroseconds = 10;
    private readonly long[] _buckets = new long[100_001];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(TimeSpan elapsed)
    {
        long bucket = Math.Min(_buckets.Length - 1, (long)(elapsed.TotalMicroseconds / BucketMicroseconds));
        Interlocked.Increment(ref _buckets[Math.Max(0, bucket)]);
        Interlocked.Increment(ref _count);
    }

    /// <summary>The upper edge of the bucket holding the <paramref name="fraction"/> quantile, in milliseconds (NaN when empty).</summary>
    public double QuantileMs(double fraction)
    {
        long total = Count, seen = 0;
        if (total == 0)
        {
            return double.NaN;
        }

        long rank = (long)Math.Ceiling(total * fraction);
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= rank)
            {
                return (i + 1) * BucketMicroseconds / 1000;
            }
        }

        return double.PositiveInfinity;
    }

    public string Describe(string name) => string.Create(CultureInfo.InvariantCulture,
        $"{name}_count={Count} {name}_p50_ms={QuantileMs(0.50):0.00} {name}_p99_ms={QuantileMs(0.99):0.00} {name}_max_ms={QuantileMs(1.0):0.00}");
}
