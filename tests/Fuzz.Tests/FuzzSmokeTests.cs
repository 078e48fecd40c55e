using Xunit.Abstractions;

namespace Punch.Fuzz.Tests;

/// <summary>
/// The short fuzz run of the test suite: every target of fuzz/Punch.Fuzz, in-process and
/// uninstrumented, over its committed corpus (seeds and regression inputs) and
/// <see cref="MutationsPerTarget"/> seeded mutations of it. AFL++ with SharpFuzz instrumentation is
/// too heavy for every test run on a shared 2-core machine (a build, an instrumentation pass and a
/// fork server per target); fuzz/run.sh runs it.
/// </summary>
public sealed class FuzzSmokeTests(ITestOutputHelper output)
{
    private const int MutationsPerTarget = 50_000;

    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_survives_its_corpus_and_mutations_of_it(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var corpus = CorpusFolder.Load(CorpusRoot(), name);
        Assert.NotEmpty(corpus);

        int mutations = target.SmokeMutationsWithin(MutationsPerTarget);
        var result = SmokeRun.Run(target, corpus, mutations, seed: 1);

        output.WriteLine(result.ToString());
        Assert.True(result.Failure is null,
            $"{name} threw on {Convert.ToHexString(result.FailingInput ?? [])}: {result.Failure}");
        Assert.Equal(corpus.Count + mutations, result.Executions);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Committed_seeds_are_what_the_writers_produce_today(string name)
    {
        // Seeds come from Core's writers; when the protocol changes they must be regenerated, or the fuzzer starts from stale messages.
        var folder = CorpusFolder.TargetFolder(CorpusRoot(), name);
        foreach (var (seed, bytes) in SeedCorpus.For(name))
        {
            var file = Path.Combine(folder, $"seed-{seed}.bin");
            Assert.True(File.Exists(file), $"{file} is missing: run `dotnet run --project fuzz/Punch.Fuzz -- seed fuzz/corpus`");
            Assert.True(bytes.AsSpan().SequenceEqual(File.ReadAllBytes(file)),
                $"{file} is stale: run `dotnet run --project fuzz/Punch.Fuzz -- seed fuzz/corpus`");
        }
    }

    [Fact]
    public void Every_corpus_folder_belongs_to_a_target()
    {
        var folders = Directory.GetDirectories(CorpusRoot()).Select(Path.GetFileName).Order();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
    }

    private static string CorpusRoot() =>
        CorpusFolder.Find(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException($"no fuzz/corpus above {AppContext.BaseDirectory}");
}
