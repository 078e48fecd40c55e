using System.Globalization;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

/// <summary>Runs only when <see cref="RoundsVariable"/> is set (bench/nat-matrix.sh sets it); skipped in the normal test run.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public const string RoundsVariable = "PUNCH_LAB_ROUNDS";
    public const string ReportVariable = "PUNCH_LAB_REPORT";

    public BenchmarkFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RoundsVariable)))
        {
            Skip = $"benchmark: set {RoundsVariable} (bench/nat-matrix.sh does)";
        }
    }
}

/// <summary>
/// The whole matrix, PR–SYM and SYM–SYM included, several rounds, pairs interleaved so a slow moment
/// of the machine spreads over all of them; writes the Markdown table to <see cref="BenchmarkFactAttribute.ReportVariable"/>.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class NatMatrixBenchmark(NatLab lab, ITestOutputHelper output)
{
    private const int MaxRounds = 50;

    [BenchmarkFact]
    public async Task Matrix_outcomes_and_time_to_path()
    {
        int rounds = Math.Clamp(int.Parse(Environment.GetEnvironmentVariable(BenchmarkFactAttribute.RoundsVariable)!, CultureInfo.InvariantCulture), 1, MaxRounds);
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
        if (Environment.GetEnvironmentVariable(BenchmarkFactAttribute.ReportVariable) is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, markdown);
        }
    }
}
