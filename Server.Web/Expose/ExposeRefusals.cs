using System.Diagnostics.Metrics;
using Punch.Server.Telemetry;

namespace Punch.Server.Expose;

/// <summary>
/// Counts every refusal of the expose side (read by the API and the Exposed page) and decides which
/// are logged: the first of a kind, then at most one per <see cref="LogInterval"/> with the number
/// left out, because a flood of idle or forged connections would otherwise write a line each.
/// The counts are the instrument <c>punch.expose.refusals</c> of <see cref="ServerMeter"/>, read back
/// from there. Thread-safe.
/// </summary>
public sealed class ExposeRefusals(TimeProvider time, ServerMeter meter)
{
    /// <summary>One line per kind per this long at most; 10 s keeps a flood to a few lines a minute and still shows it starting within seconds.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    private static readonly int KindCount = Enum.GetValues<ExposeRefusalKind>().Length;
    private readonly Counter<long> _counts = meter.Meter.CreateCounter<long>("punch.expose.refusals", "{refusal}", "Expose registrations and connections turned away, by reason");
    private readonly KeyValuePair<string, object?>[] _tags = LabelText.TagsOf<ExposeRefusalKind>("reason");
    private readonly long[] _unlogged = new long[KindCount];
    private readonly long[] _lastLoggedTicks = Enumerable.Repeat(long.MinValue, KindCount).ToArray();

    /// <summary>Counts one refusal; true when it should be logged now, with how many of its kind were not logged since the last line.</summary>
    public bool Count(ExposeRefusalKind kind, out long unlogged)
    {
        int index = (int)kind;
        _counts.Add(1, _tags[index]);
        long now = time.GetTimestamp();
        long last = Interlocked.Read(ref _lastLoggedTicks[index]);
        bool due = last == long.MinValue || time.GetElapsedTime(last, now) >= LogInterval;
        if (due && Interlocked.CompareExchange(ref _lastLoggedTicks[index], now, last) == last)
        {
            unlogged = Interlocked.Exchange(ref _unlogged[index], 0);
            return true;
        }

        Interlocked.Increment(ref _unlogged[index]);
        unlogged = 0;
        return false;
    }

    public long CountOf(ExposeRefusalKind kind) => meter.Of(_counts, _tags[(int)kind].Value!);

    /// <summary>Every kind with its count since start, for the API and the dashboard.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() =>
        Enum.GetValues<ExposeRefusalKind>().ToDictionary(k => k.ToString(), CountOf);
}
