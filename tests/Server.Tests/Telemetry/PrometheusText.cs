using System.Globalization;
using System.Text.RegularExpressions;

namespace Punch.Server.Tests.Telemetry;

/// <summary>The samples of a Prometheus text exposition: name, labels, value. Comments and malformed lines are skipped.</summary>
public sealed partial class PrometheusText(IReadOnlyList<PrometheusText.Sample> samples)
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public IReadOnlyList<Sample> Samples => samples;

    public static PrometheusText Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || SampleLine().Match(line.TrimEnd('\r')) is not { Success: true } match)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups["key"].Value, m => m.Groups["value"].Value);
            samples.Add(new Sample(match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }
        return new PrometheusText(samples);
    }

    public bool Has(string name) => samples.Any(s => s.Name == name);

    /// <summary>The sum of the series of <paramref name="name"/> whose labels include <paramref name="label"/> (all of them without).</summary>
    public long Sum(string name, (string Key, string Value)? label = null) =>
        (long)samples.Where(s => s.Name == name && (label is not { } l || s.Labels.GetValueOrDefault(l.Key) == l.Value)).Sum(s => s.Value);

    /// <summary>The distinct values of one label over the series of <paramref name="name"/>.</summary>
    public IReadOnlySet<string> LabelValues(string name, string key) =>
        samples.Where(s => s.Name == name && s.Labels.ContainsKey(key)).Select(s => s.Labels[key]).ToHashSet();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\d+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
