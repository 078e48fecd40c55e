using System.Diagnostics;
using System.Text;

namespace Punch.Lab.Tests.Processes;

/// <summary>
/// A .NET program run inside a lab namespace (<c>ip netns exec NS dotnet DLL ...</c>; ip execs into
/// dotnet, so the process id is the program's own). Output lines are kept for the test to read;
/// disposing kills the whole tree if it is still running.
/// </summary>
public sealed class LabProcess : IAsyncDisposable
{
    /// <summary>Bounds memory if a chatty process (the server at Debug level) runs for long.</summary>
    private const int MaxKeptLines = 5000;

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly StringBuilder _errors = new();
    private readonly SemaphoreSlim _lineArrived = new(0);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _disposed;

    private LabProcess(Process process, string description)
    {
        _process = process;
        Description = description;
    }

    public string Description { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public string ErrorText
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static LabProcess Start(string ns, string dll, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        StartCommand(ns, ["dotnet", dll, .. args], Path.GetDirectoryName(dll)!, $"{ns}: {Path.GetFileName(dll)} {string.Join(' ', args)}", environment);

    /// <summary>A stock program (coturn's turnserver, say) in a lab namespace, with the same output capture and kill-on-dispose.</summary>
    public static LabProcess StartTool(string ns, string file, IEnumerable<string> args) =>
        StartCommand(ns, [file, .. args], Path.GetTempPath(), $"{ns}: {file} {string.Join(' ', args)}", null);

    private static LabProcess StartCommand(string ns, string[] command, string workingDirectory, string description, IReadOnlyDictionary<string, string>? environment)
    {
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (string arg in (string[])["netns", "exec", ns, .. command])
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var labProcess = new LabProcess(process, description);
        process.OutputDataReceived += (_, e) => labProcess.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => labProcess.OnError(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return labProcess;
    }

    /// <summary>Waits for a line that matches; throws with the output so far when the time is up or the process ended first.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            if (Lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _outputClosed.Task.IsCompleted)
            {
                throw new TimeoutException($"no expected line from [{Description}] within {limit.TotalSeconds} s (exited: {HasExited}).\n{Transcript()}");
            }

            await Task.WhenAny(_lineArrived.WaitAsync(left), _outputClosed.Task);
        }
    }

    /// <summary>Waits for the exit and the end of its output; kills it and throws when the time is up.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            await _outputClosed.Task.WaitAsync(TimeSpan.FromSeconds(5));
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"[{Description}] did not exit within {limit.TotalSeconds} s; killed.\n{Transcript()}");
        }
    }

    /// <summary>Writes one line to the program's stdin (a chat peer sends each line to its peer) and flushes it at once.</summary>
    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Closes stdin: end of input, which ends a chat peer's run.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public string Transcript() => $"stdout:\n{string.Join('\n', Lines)}\nstderr:\n{ErrorText}";

    /// <summary>Idempotent: the test and the lab's teardown may both dispose it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The namespace sweep at teardown kills whatever is left in it.
        }

        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _outputClosed.TrySetResult();
            _lineArrived.Release();
            return;
        }

        lock (_lines)
        {
            if (_lines.Count >= MaxKeptLines)
            {
                _lines.RemoveAt(0);
            }

            _lines.Add(line);
        }

        _lineArrived.Release();
    }

    private void OnError(string? line)
    {
        if (line is not null)
        {
            lock (_errors)
            {
                _errors.AppendLine(line);
            }
        }
    }
}
