using System.Text.Json;
using Punch.Peer.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>An in-process <c>punch expose --public-port --json</c>; its output lines are collected for the test to wait on.</summary>
public sealed class ExposePeer : IAsyncDisposable
{
    private readonly StringWriter _output = new();
    private readonly CancellationTokenSource _stop = new();

    private ExposePeer(ExposeRunOptions options)
    {
        Options = options;
        var client = new ExposeClient(options, new ExposeReporter(TextWriter.Synchronized(_output), json: true), TimeProvider.System);
        Run = Task.Run(() => client.RunAsync(_stop.Token));
    }

    public ExposeRunOptions Options { get; }

    /// <summary>The exit code, once the run ends.</summary>
    public Task<int> Run { get; }

    public string Output => _output.ToString();

    public static ExposePeer Start(ExposeRunOptions options) => new(options);

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
