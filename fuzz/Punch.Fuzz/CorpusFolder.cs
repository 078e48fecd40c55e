namespace Punch.Fuzz;

/// <summary>
/// The committed corpus: <c>fuzz/corpus/TARGET/*</c>, one input per file. Seeds are named after what
/// they are; inputs that once failed are kept as <c>regression-*</c> files so every later run replays them.
/// </summary>
public static class CorpusFolder
{
    public static string TargetFolder(string root, string target) => Path.Combine(root, target);

    public static List<byte[]> Load(string root, string target)
    {
        var folder = TargetFolder(root, target);
        return Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(File.ReadAllBytes)]
            : [];
    }

    /// <summary>Writes the seeds of every target; leaves other files (regressions) alone.</summary>
    public static int WriteSeeds(string root)
    {
        int written = 0;
        foreach (var target in FuzzTargets.All)
        {
            var folder = TargetFolder(root, target.Name);
            Directory.CreateDirectory(folder);
            foreach (var (name, bytes) in SeedCorpus.For(target.Name))
            {
                File.WriteAllBytes(Path.Combine(folder, $"seed-{name}.bin"), bytes);
                written++;
            }
        }

        return written;
    }

    /// <summary>Finds fuzz/corpus by walking up from <paramref name="start"/> (the tests run from bin/).</summary>
    public static string? Find(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "fuzz", "corpus");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
