using System.Globalization;
using System.Text;

namespace Punch.Lab.Tests.Punching;

/// <summary>Outcomes of repeated runs per pair, printed as the Markdown table kept in docs/nat-matrix.md.</summary>
public sealed class MatrixTable
{
    private const int ReasonLength = 110;

    private readonly Dictionary<LabPair, List<PairOutcome>> _runs = [];

    public void Add(LabPair pair, PairOutcome outcome)
    {
        if (!_runs.TryGetValue(pair, out var runs))
        {
            _runs[pair] = runs = [];
        }

        runs.Add(outcome);
    }

    public string ToMarkdown(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(heading).AppendLine();
        text.AppendLine("| Pair | Theory | Outcome | Runs as theory | Median time to path (ms) | Min–max (ms) | Matches theory | Why not direct |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var (pair, runs) in _runs)
        {
            string expected = pair.Expected.ToString().ToLowerInvariant();
            var times = runs.Where(r => r.Path == expected).Select(r => r.TimeToPathMs!.Value).Order().ToList();
            var paths = runs.Select(r => r.Path).Distinct().ToList();
            string outcome = paths.Count == 1 ? paths[0] : "mixed";
            string verdict = MatchesTheory(pair, runs.Count(r => r.BothDirect), runs.Count(r => r.BothRelayed), runs.Count) ? "yes" : "**no**";
            string reason = runs.Select(WhyNotDirect).FirstOrDefault(r => r is not null) ?? "";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {pair.Name} | {expected} | {outcome} | {times.Count}/{runs.Count} | {Median(times)} | {Range(times)} | {verdict} | {Shorten(reason)} |");
        }

        return text.ToString();
    }

    /// <summary>The same rule as the tests: every run as theory says, except port prediction, which is held to a success rate.</summary>
    public static bool MatchesTheory(LabPair pair, int direct, int relayed, int runs) => pair.Expected switch
    {
        ExpectedPath.Relayed => relayed == runs,
        ExpectedPath.Failed => direct == 0 && relayed == 0,
        _ when pair.NeedsPortPrediction => direct >= runs * PortPredictionSuccessRate,
        _ => direct == runs,
    };

    /// <summary>PR–SYM must be direct in at least this share of runs ("most of the time": prediction is a bet on the NAT's next ports).</summary>
    public const double PortPredictionSuccessRate = 0.6;

    /// <summary>A failure's reason, or for a relayed run the warning that says why punching failed.</summary>
    private static string? WhyNotDirect(PairOutcome run) =>
        run.A.FailureReason ?? run.B.FailureReason ?? (run.BothRelayed ? run.A.Warnings.FirstOrDefault(w => w.Contains("punch", StringComparison.OrdinalIgnoreCase)) : null);

    private static string Median(List<double> sorted) => sorted.Count == 0
        ? "–"
        : (sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2).ToString("0", CultureInfo.InvariantCulture);

    private static string Range(List<double> sorted) => sorted.Count == 0
        ? "–"
        : string.Create(CultureInfo.InvariantCulture, $"{sorted[0]:0}–{sorted[^1]:0}");

    private static string Shorten(string reason) => (reason.Length <= ReasonLength ? reason : reason[..ReasonLength] + "…").Replace("|", "\\|", StringComparison.Ordinal);
}
