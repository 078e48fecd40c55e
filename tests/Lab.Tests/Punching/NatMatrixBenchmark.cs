using System.Globalization;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

/// <summary>
/// The whole matrix, PR–SYM and SYM–SYM included, several rounds, pairs interleaved so a slow moment
/// of the machine spreads over all of them; writes the Markdown table to <see cref="ReportVariable"/>.
/// A benchmark, not a check: <c>./test.sh</c> leaves the Benchmark category out (the matrix tests assert
/// the outcomes); <c>bench/nat-matrix.sh</c> runs it with the number of rounds.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatMatrixBenchmark(NatLab lab, ITestOutputHelper output)
{
    public const string RoundsVariable = "PUNCH_LAB_ROUNDS";
    public const string ReportVariable = "PUNCH_LAB_REPORT";
    private const int MaxRounds = 50;

    [LabFact]
    [Trait("Category", "Benchmark")]
    public async Task Matrix_outcomes_and_time_to_path()
    {
        int rounds = int.TryParse(Environment.GetEnvironmentVariable(RoundsVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int asked)
            ? Math.Clamp(asked, 1, MaxRounds)
            : 1;
        var table = new MatrixTable();
        for (int round = 0; round < rounds; round++)
        {
            foreach (var pair in LabPair.All)
            {
                var outcome = await pair.ConnectAsync(lab);
                output.WriteLine($"round {round + 1} {pair.Name}: {PunchingMatrixTests.Describe(outcome)}");
                table.Add(pair, outcome);
            }
        }

        string markdown = table.ToMarkdown(
            $"NAT lab matrix: {rounds} round(s) per pair, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. " +
            "Time to path is the slower peer's `elapsedMs` of its `path` event; pairs are A behind the first kind, B behind the second (SAME: two hosts behind one port-restricted NAT).");
        output.WriteLine(markdown);
        if (Environment.GetEnvironmentVariable(ReportVariable) is { Length: > 0 } path)
        {
            string kept = File.Exists(path) ? HandWrittenSections(await File.ReadAllTextAsync(path)) : string.Empty;
            await File.WriteAllTextAsync(path, markdown + kept);
        }
    }

    /// <summary>
    /// The report's sections from its first "## " heading on (the IPv6 and port-mapping labs' rows, written
    /// from their own runs): a new matrix replaces only the table above them.
    /// </summary>
    private static string HandWrittenSections(string report)
    {
        int start = report.IndexOf("\n## ", StringComparison.Ordinal);
        return start < 0 ? string.Empty : "\n" + report[(start + 1)..];
    }
}
