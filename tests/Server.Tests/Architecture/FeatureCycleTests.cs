using System.Reflection;

namespace Punch.Server.Tests.Architecture;

/// <summary>Feature folders of Server.Web form layers: no two of them may use each other, directly or round a loop.</summary>
public sealed class FeatureCycleTests
{
    [Fact]
    public void No_two_feature_folders_depend_on_each_other()
    {
        var dependencies = FeatureDependencies.Of(Assembly.Load("Punch.Server.Web"));

        // The reader must see the folders and their uses, or an empty graph would pass.
        Assert.Superset(new SortedSet<string>(["Events", "Relay", "Rendezvous", "Storage", "Dashboard"]), dependencies.Features);
        Assert.True(dependencies.Edges.TryGetValue("Dashboard", out var dashboardUses) && dashboardUses.ContainsKey("Storage"), "the dashboard's use of Storage was not seen");
        dependencies.AddUsings(ServerWebSources());

        var cycles = dependencies.Cycles();
        Assert.True(cycles.Count == 0, "Feature folders in a cycle:\n" + string.Join(
            "\n",
            cycles.Select(cycle => string.Join(" <-> ", cycle) + ":\n" + string.Join("\n", dependencies.Describe(cycle)))));
    }

    /// <summary>Server.Web's source folder, found upwards from the test binaries (bin/Debug/net10.0 of the repository's tests).</summary>
    private static DirectoryInfo ServerWebSources()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = new DirectoryInfo(Path.Combine(directory.FullName, "Server.Web"));
            if (File.Exists(Path.Combine(candidate.FullName, "Server.Web.csproj")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Server.Web sources not found above " + AppContext.BaseDirectory);
    }
}
