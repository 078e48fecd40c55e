using System.Text.Json;
using Punch.Peer.Cli;
using Punch.Peer.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>An in-process <c>punch expose --public-port --json</c> (the client, or the whole command line); its output lines are collected for the test to wait on.</summary>
public sealed class ExposePeer : IAsyncDisposable
{
    private readonly StringWriter _output = new();
    private readonly CancellationTokenSource _stop = new();

    private ExposePeer(Func<TextWriter, CancellationToken, Task<int>> run)
    {
        var output = TextWriter.Synchronized(_output);
        Run = Task.Run(() => run(output, _stop.Token));
    }

    /// <summary>The exit code, once the run ends.</summary>
    public Task<int> Run { get; }

    public string Output => _output.ToString();

    public static ExposePeer Start(ExposeRunOptions options) =>
        new((output, stop) => new ExposeClient(options, new ExposeReporter(output, json: true), TimeProvider.System).RunAsync(stop));

    /// <summary><c>punch expose --name web --json</c> and <paramref name="args"/>, as typed; usage errors land in the output too.</summary>
    public static ExposePeer StartCommandLine(string[] args) =>
        new((output, stop) => PeerCommandLine.RunAsync(["expose", "--name", "web", "--json", .. args], output, output, TextReader.Null, stop));

    public IReadOnlyList<JsonElement> Lines =>
        [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    public Task WaitForExposedAsync(int count = 1) => WaitForLineAsync("exposed", count);

    /// <summary>Waits until <paramref name="count"/> lines with this event were printed.</summary>
    public async Task<JsonElement> WaitForLineAsync(string eventName, int count = 1)
    {
        var deadline = DateTime.UtcNow + ExposeHost.Timeout;
        while (true)
        {
            var matching = Lines.Where(l => l.GetProperty("event").GetString() == eventName).ToList();
            if (matching.Count >= count)
            {
                return matching[count - 1];
            }

            if (Run.IsCompleted && matching.Count < count)
            {
                throw new InvalidOperationException($"the peer ended (exit {await Run}) without {count} '{eventName}' line(s); output:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no {count} '{eventName}' line(s) within {ExposeHost.Timeout}; output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Stops the run as Ctrl+C would, and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Run.WaitAsync(ExposeHost.Timeout);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
