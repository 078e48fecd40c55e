using System.Collections.Immutable;
using System.Globalization;

namespace Punch.Server.Expose;

/// <summary>A set of TCP ports written as "18000-18100,8443": comma-separated single ports and inclusive ranges.</summary>
public sealed class PortRanges
{
    private readonly ImmutableArray<(int First, int Last)> _ranges;

    private PortRanges(ImmutableArray<(int First, int Last)> ranges, string text)
    {
        _ranges = ranges;
        Text = text;
    }

    public static PortRanges None { get; } = new([], string.Empty);

    /// <summary>The normalized text ("18000-18100,8443"), for messages.</summary>
    public string Text { get; }

    public bool IsEmpty => _ranges.IsEmpty;

    public bool Contains(int port) => _ranges.Any(r => port >= r.First && port <= r.Last);

    /// <summary>Parses <paramref name="text"/>; returns what is wrong (naming the bad part), or null.</summary>
    public static string? TryParse(string? text, out PortRanges ranges)
    {
        ranges = None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var builder = ImmutableArray.CreateBuilder<(int, int)>();
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries))
        {
            string[] bounds = raw.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length > 2 || !TryPort(bounds[0], out int first) || !TryPort(bounds[^1], out int last))
            {
                return $"'{raw}' is not a port (1-65535) or a range like 18000-18100";
            }

            if (last < first)
            {
                return $"the range '{raw}' ends before it starts";
            }

            builder.Add((first, last));
        }

        var parsed = builder.ToImmutable();
        ranges = new PortRanges(parsed, string.Join(',', parsed.Select(r => r.Item1 == r.Item2 ? r.Item1.ToString(CultureInfo.InvariantCulture) : $"{r.Item1}-{r.Item2}")));
        return null;
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1 and <= 65535;
}
