using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Peer.Expose;

namespace Punch.Peer.Tests;

/// <summary><c>punch expose</c>: its flags, and what it does while the server cannot be reached.</summary>
public sealed class ExposeCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1" }, "--local 127.0.0.1: needs a port")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080", "--secret", "s" }, "--secret is for peer-to-peer expose")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--public-port", "18080" }, "--local")]
    [InlineData(new[] { "expose", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080" }, "--server")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "0" }, "--public-port must be 1-65535 (got 0)")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "70000" }, "--public-port must be 1-65535 (got 70000)")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "http" }, "http")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1", "--public-port", "18080" }, "--local 127.0.0.1: give the port")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:x", "--public-port", "18080" }, "--local 127.0.0.1:x: the port must be")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "w b", "--local", "127.0.0.1:8080", "--public-port", "18080" }, "--name must be")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080", "--key", "short" }, "--key (or PUNCH_KEY) must be at least 16")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1:0", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080" }, "--server 127.0.0.1:0: the port must be")]
    public async Task Bad_usage_exits_2_naming_the_flag(string[] args, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await PeerCommandLine.RunAsync(args, output, error, TextReader.Null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public void The_server_port_defaults_to_the_expose_control_port()
    {
        Assert.Null(ExposeCommand.TryRead("127.0.0.1", "web", "default", "localhost:8080", 18080, null, json: false, out var options));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, ExposeRunOptions.DefaultControlPort), options.Server);
        Assert.Equal(("localhost", 8080, (ushort)18080), (options.LocalHost, options.LocalPort, options.PublicPort));
    }

    [Fact]
    public async Task An_unreachable_server_is_tried_again_with_growing_waits_until_stopped()
    {
        int closedPort = ClosedPort();
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var client = new ExposeClient(new ExposeRunOptions
        {
            Server = new IPEndPoint(IPAddress.Loopback, closedPort),
            Identity = new PeerIdentity(PeerIdentity.DefaultNetwork, "web"),
            LocalHost = "127.0.0.1",
            LocalPort = 8080,
            PublicPort = 18080,
            FirstReconnectDelay = TimeSpan.FromSeconds(1),
            MaxReconnectDelay = TimeSpan.FromSeconds(4),
        }, new ExposeReporter(TextWriter.Synchronized(output), json: true), time);
        using var stop = new CancellationTokenSource();

        var run = client.RunAsync(stop.Token);
        var first = await WaitForWarningAsync(output, 1);
        time.Advance(TimeSpan.FromSeconds(1.2));
        var second = await WaitForWarningAsync(output, 2);
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        Assert.Matches($@"^cannot reach the server at 127\.0\.0\.1:{closedPort}: connection refused; connecting again in 1(\.[0-2])? s$", first);
        Assert.Matches(@"; connecting again in 2(\.[0-4])? s$", second);
        Assert.Equal("closed", Lines(output)[^1].GetProperty("event").GetString());
    }

    [Fact]
    public void Backoff_doubles_up_to_the_limit_with_a_fifth_of_spread_and_starts_over_after_a_success()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new Random(5));

        var waits = Enumerable.Range(0, 7).Select(_ => backoff.Next().TotalSeconds).ToList();
        backoff.Reset();

        double[] bases = [1, 2, 4, 8, 16, 30, 30];
        Assert.All(waits.Zip(bases), w => Assert.InRange(w.First, w.Second, w.Second * 1.2));
        Assert.InRange(backoff.Next().TotalSeconds, 1, 1.2);
    }

    private static async Task<string> WaitForWarningAsync(StringWriter output, int count)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var warnings = Lines(output).Where(l => l.GetProperty("event").GetString() == "warning").ToList();
            if (warnings.Count >= count)
            {
                return warnings[count - 1].GetProperty("text").GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, $"no {count} warnings; output:\n{output}");
            await Task.Delay(10);
        }
    }

    private static List<JsonElement> Lines(StringWriter output) =>
        [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
