namespace Punch.Server.Storage;

/// <summary>
/// Sessions over time, by how they ended (direct, relayed, failed; the rest are still punching), and
/// the distribution of their time to a direct path: what the Overview's charts draw.
/// </summary>
/// <param name="Start">The start of the first bucket.</param>
/// <param name="Bucket">The width of each bucket.</param>
/// <param name="Direct">Sessions requested in each bucket that are (or ended) on a direct path.</param>
/// <param name="TimeToDirect">Direct sessions of the window by time to the direct path, in <see cref="TimeToDirectBounds"/>' bins.</param>
public sealed record SessionActivity(
    DateTimeOffset Start,
    TimeSpan Bucket,
    IReadOnlyList<int> Direct,
    IReadOnlyList<int> Relayed,
    IReadOnlyList<int> Failed,
    IReadOnlyList<int> TimeToDirect)
{
    /// <summary>Upper bounds (ms) of the histogram's bins; the last bin holds everything slower.</summary>
    public static readonly IReadOnlyList<double> TimeToDirectBounds = [50, 100, 250, 500, 1000, 2000, 5000, 10_000];

    public double? TimeToDirectP50Ms { get; init; }
    public double? TimeToDirectP90Ms { get; init; }
    public double? TimeToDirectP99Ms { get; init; }

    /// <summary>True when the window held more sessions than the query reads (<see cref="ActivityQueries.MaxSessions"/>): the oldest buckets are short.</summary>
    public bool Capped { get; init; }

    /// <summary>Labels of the histogram's bins: "≤50 ms" … "&gt;10 s".</summary>
    public static IReadOnlyList<string> TimeToDirectLabels { get; } =
        [.. TimeToDirectBounds.Select(b => b < 1000 ? $"≤{b:0} ms" : $"≤{b / 1000:0} s"), $">{TimeToDirectBounds[^1] / 1000:0} s"];
}
