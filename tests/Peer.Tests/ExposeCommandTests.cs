using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Expose;
using Punch.Core.Protocol;
using Punch.Peer.Cli;
using Punch.Peer.Expose;

namespace Punch.Peer.Tests;

/// <summary><c>punch expose</c>: its flags, and what it does when the server's control port cannot be reached.</summary>
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
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080", "--control-port", "0" }, "--control-port must be 1-65535 (got 0)")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--public-port", "18080", "--control-port", "65536" }, "--control-port must be 1-65535 (got 65536)")]
    [InlineData(new[] { "expose", "--server", "127.0.0.1", "--name", "web", "--local", "127.0.0.1:8080", "--control-port", "7000" }, "--control-port is for --public-port")]
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
    public void The_server_is_the_rendezvous_with_its_default_port_as_for_connect_and_the_control_port_is_asked_for()
    {
        Assert.Null(ExposeCommand.TryRead("127.0.0.1", "web", "default", "localhost:8080", 18080, null, null, json: false, out var options));

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, PeerRunOptions.DefaultServerPort), options.Server);
        Assert.Null(options.ControlPort);
        Assert.Equal(("localhost", 8080, (ushort)18080), (options.LocalHost, options.LocalPort, options.PublicPort));
    }

    [Fact]
    public async Task A_control_port_refused_before_the_first_registration_ends_the_run_naming_both_ports()
    {
        int closedPort = ClosedPort();
        using var output = new StringWriter();
        var client = new ExposeClient(Options(rendezvousPort: 3478, closedPort), new ExposeReporter(TextWriter.Synchronized(output), json: true), new FakeTimeProvider());

        int exit = await client.RunAsync(CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(ExitCodes.NoPath, exit);
        var failed = Assert.Single(Lines(output));
        Assert.Equal("failed", failed.GetProperty("event").GetString());
        Assert.Equal($"cannot reach the server at 127.0.0.1:{closedPort}: connection refused; that is the expose control port given by --control-port (the rendezvous is 127.0.0.1:3478)",
            failed.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_control_port_refused_after_a_registration_is_tried_again_with_growing_waits_until_stopped()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        int controlPort = ((IPEndPoint)server.LocalEndpoint).Port;
        var time = new FakeTimeProvider();
        using var output = new StringWriter();
        var client = new ExposeClient(Options(rendezvousPort: 3478, controlPort), new ExposeReporter(TextWriter.Synchronized(output), json: true), time);
        using var stop = new CancellationTokenSource();

        var run = client.RunAsync(stop.Token);
        // The server registers the service, then goes away (a restart): its control port refuses from now on.
        using (var socket = await server.AcceptSocketAsync().WaitAsync(Timeout))
        using (var channel = new ControlChannel(new NetworkStream(socket, ownsSocket: false), Timeout))
        {
            var message = await channel.ReadAsync(CancellationToken.None).WaitAsync(Timeout);
            Assert.True(ExposeRegisterRequest.TryRead(message.Span, out var register));
            await channel.SendAsync(new ExposeRegisterResponse(register.TransactionId, 18080, TimeSpan.FromSeconds(10), 1).WriteTo, CancellationToken.None).WaitAsync(Timeout);
            server.Stop();
            socket.Shutdown(SocketShutdown.Both);
        }

        var lost = await WaitForWarningAsync(output, 1);
        var first = await WaitForWarningAsync(output, 2, time);
        var second = await WaitForWarningAsync(output, 3, time);
        await stop.CancelAsync();

        Assert.Equal(ExitCodes.Success, await run.WaitAsync(Timeout));
        Assert.Matches(@"^the server closed the control connection; connecting again in 1(\.[0-2])? s$", lost);
        Assert.Matches($@"^cannot reach the server at 127\.0\.0\.1:{controlPort}: connection refused; connecting again in 2(\.[0-4])? s$", first);
        Assert.Matches(@"; connecting again in 4(\.[0-8])? s$", second);
        Assert.Equal("closed", Lines(output)[^1].GetProperty("event").GetString());
    }

    private static ExposeRunOptions Options(int rendezvousPort, int controlPort) => new()
    {
        Server = new IPEndPoint(IPAddress.Loopback, rendezvousPort),
        ControlPort = controlPort,
        Identity = new PeerIdentity(PeerIdentity.DefaultNetwork, "web"),
        LocalHost = "127.0.0.1",
        LocalPort = 8080,
        PublicPort = 18080,
        FirstReconnectDelay = TimeSpan.FromSeconds(1),
        MaxReconnectDelay = TimeSpan.FromSeconds(4),
    };

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

    /// <summary>Waits for the <paramref name="count"/>th warning; with <paramref name="time"/>, moves the fake clock on meanwhile (the client waits on it between tries).</summary>
    private static async Task<string> WaitForWarningAsync(StringWriter output, int count, FakeTimeProvider? time = null)
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
            time?.Advance(TimeSpan.FromMilliseconds(100));
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
