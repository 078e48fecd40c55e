using System.Diagnostics;

namespace Punch.Lab.Tests.Processes;

/// <summary>Runs a short administrative command (ip, nft, sysctl) with a hard time limit.</summary>
public static class Shell
{
    private static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(20);

    /// <summary>Runs the command; a non-zero exit throws with its stderr, unless <paramref name="check"/> is false.</summary>
    public static async Task<ShellResult> RunAsync(string file, IEnumerable<string> args, string? input = null, bool check = true, TimeSpan? limit = null)
    {
        var startInfo = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {file}");
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit ?? DefaultLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(startInfo)} did not finish within {(limit ?? DefaultLimit).TotalSeconds} s");
        }

        var result = new ShellResult(process.ExitCode, await stdout, await stderr);
        if (check && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Describe(startInfo)} failed ({result.ExitCode}): {result.StandardError.Trim()}\n{input}");
        }

        return result;
    }

    public static Task<ShellResult> RunAsync(string file, params string[] args) => RunAsync(file, (IEnumerable<string>)args);

    /// <summary>Runs a command inside a network namespace (<c>ip netns exec</c>).</summary>
    public static Task<ShellResult> InNamespaceAsync(string ns, params string[] command) => RunAsync("ip", ["netns", "exec", ns, .. command]);

    private static string Describe(ProcessStartInfo startInfo) => $"{startInfo.FileName} {string.Join(' ', startInfo.ArgumentList)}";
}
