using System.Text.RegularExpressions;
using Punch.Lab.Tests.Processes;

namespace Punch.Lab.Tests.Topology;

/// <summary>
/// Owns the lab's names and their removal. Every namespace of a run starts with one prefix
/// ("pl" + 4 hex digits); the prefix is claimed with a file holding the test process id, so a later
/// run can tell a crashed run's leftovers (owner gone) from a lab that is running right now.
/// Interfaces and nft tables live inside those namespaces and go with them.
/// </summary>
public static partial class LabJanitor
{
    private const string OwnerDirectory = "/run/punch-lab";

    public static string ClaimPrefix()
    {
        Directory.CreateDirectory(OwnerDirectory);
        for (int attempt = 0; attempt < 100; attempt++)
        {
            string prefix = $"pl{Random.Shared.Next(0x10000):x4}";
            try
            {
                // CreateNew: two runs starting at once never share a prefix.
                using var owner = new FileStream(OwnerFile(prefix), FileMode.CreateNew, FileAccess.Write);
                owner.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString()));
                return prefix;
            }
            catch (IOException) when (File.Exists(OwnerFile(prefix)))
            {
                // Taken; draw again.
            }
        }

        throw new InvalidOperationException($"no free lab prefix in {OwnerDirectory}; remove stale files there");
    }

    /// <summary>Removes namespaces of earlier runs whose test process is gone (killed mid-run, so no teardown ran).</summary>
    public static async Task SweepStaleAsync()
    {
        foreach (var group in (await ListLabNamespacesAsync()).GroupBy(ns => LabNamespace().Match(ns).Groups["prefix"].Value))
        {
            if (!OwnerIsAlive(group.Key))
            {
                await RemoveAsync(group.Key);
            }
        }
    }

    /// <summary>Kills every process left in the prefix's namespaces, deletes the namespaces, releases the prefix. Never throws.</summary>
    public static async Task RemoveAsync(string prefix)
    {
        try
        {
            foreach (string ns in (await ListLabNamespacesAsync()).Where(ns => ns.StartsWith(prefix + "-", StringComparison.Ordinal)))
            {
                // Deleting a namespace does not end the processes in it; they would keep sockets and the namespace alive.
                var pids = await Shell.RunAsync("ip", ["netns", "pids", ns], check: false);
                foreach (string pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    await Shell.RunAsync("kill", ["-9", pid], check: false);
                }

                await Shell.RunAsync("ip", ["netns", "del", ns], check: false);
            }
        }
        finally
        {
            // The server's SQLite folder (NatLab creates it as TEMP/PREFIX-*).
            foreach (string directory in Directory.GetDirectories(Path.GetTempPath(), $"{prefix}-*"))
            {
                Directory.Delete(directory, recursive: true);
            }

            File.Delete(OwnerFile(prefix));
        }
    }

    private static async Task<IReadOnlyList<string>> ListLabNamespacesAsync()
    {
        var list = await Shell.RunAsync("ip", ["netns", "list"], check: false);
        return [.. list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])
            .Where(ns => LabNamespace().IsMatch(ns))];
    }

    private static bool OwnerIsAlive(string prefix)
    {
        string file = OwnerFile(prefix);
        return File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out int pid) && Directory.Exists($"/proc/{pid}");
    }

    private static string OwnerFile(string prefix) => Path.Combine(OwnerDirectory, prefix);

    [GeneratedRegex("^(?<prefix>pl[0-9a-f]{4})-")]
    private static partial Regex LabNamespace();
}
