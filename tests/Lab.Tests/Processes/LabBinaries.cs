using System.Reflection;

namespace Punch.Lab.Tests.Processes;

/// <summary>The built programs the lab runs: paths baked in by Lab.Tests.csproj, checked before use.</summary>
public static class LabBinaries
{
    public static string ServerDll => Find("Punch.Lab.ServerDll");

    public static string PeerDll => Find("Punch.Lab.PeerDll");

    public static string AgentDll => Find("Punch.Lab.AgentDll");

    private static string Find(string key)
    {
        string? path = typeof(LabBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value;
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException($"{key}: '{path}' is not built; run the lab through 'dotnet test tests/Lab.Tests', which builds it first.");
        }

        return Path.GetFullPath(path);
    }
}
