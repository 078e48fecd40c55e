using Punch.Lab.Tests.Processes;

namespace Punch.Lab.Tests.Topology;

/// <summary>The processes a lab started, and the lab's teardown: every process killed, then every namespace of the prefix and the data folder removed, whatever failed before.</summary>
public sealed class LabProcessSet
{
    private readonly List<LabProcess> _processes = [];

    /// <summary>Starts a built program in a lab namespace; the lab kills it at teardown if the test did not.</summary>
    public LabProcess Start(string ns, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Track(LabProcess.Start(ns, dll, args, environment));

    /// <summary>Starts a stock program in a lab namespace; the lab kills it at teardown if the test did not.</summary>
    public LabProcess StartTool(string ns, string file, IEnumerable<string> args) => Track(LabProcess.StartTool(ns, file, args));

    public async Task TearDownAsync(string? prefix, string? dataDirectory)
    {
        try
        {
            foreach (var process in _processes)
            {
                await process.DisposeAsync();
            }
        }
        finally
        {
            _processes.Clear();
            if (prefix is not null)
            {
                await LabJanitor.RemoveAsync(prefix);
            }

            if (dataDirectory is not null && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private LabProcess Track(LabProcess process)
    {
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }
}
