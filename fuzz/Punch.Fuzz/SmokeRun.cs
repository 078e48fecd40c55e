using System.Diagnostics;

namespace Punch.Fuzz;

/// <summary>What a smoke run of one target did; <see cref="FailingInput"/> is set when the target threw.</summary>
public sealed record SmokeResult(string Target, int CorpusInputs, long Executions, TimeSpan Elapsed, byte[]? FailingInput, Exception? Failure)
{
    public double ExecutionsPerSecond => Executions / Math.Max(Elapsed.TotalSeconds, 1e-6);

    public override string ToString() =>
        $"{Target,-22} {Executions,9:N0} execs ({CorpusInputs} corpus files) in {Elapsed.TotalSeconds,5:0.00} s = {ExecutionsPerSecond,10:N0}/s"
        + (Failure is null ? "" : $"  FAILED: {Failure.GetType().Name}: {Failure.Message}");
}

/// <summary>
/// The in-process, uninstrumented run the test suite uses: every committed corpus file of a target,
/// then <c>mutations</c> seeded mutations of them. Fast and deterministic (same seed, same inputs),
/// it catches regressions and shallow bugs; coverage-guided search is fuzz/run.sh's job.
/// </summary>
public static class SmokeRun
{
    public static SmokeResult Run(FuzzTarget target, IReadOnlyList<byte[]> corpus, int mutations, int seed)
    {
        var stopwatch = Stopwatch.StartNew();
        long executions = 0;
        var mutator = new Mutator(seed);
        IEnumerable<byte[]> inputs = corpus.Concat(Enumerable.Range(0, corpus.Count == 0 ? 0 : mutations).Select(_ => mutator.Mutate(corpus)));
        foreach (var input in inputs)
        {
            executions++;
            try
            {
                target.Run(input);
            }
            catch (Exception exception)
            {
                return new SmokeResult(target.Name, corpus.Count, executions, stopwatch.Elapsed, input, exception);
            }
        }

        return new SmokeResult(target.Name, corpus.Count, executions, stopwatch.Elapsed, null, null);
    }
}
