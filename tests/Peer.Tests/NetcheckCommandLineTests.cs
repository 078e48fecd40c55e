using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Punch.Peer.Cli;

namespace Punch.Peer.Tests;

/// <summary><c>punch netcheck</c>'s flags and its output against a server that does not answer.</summary>
public sealed class NetcheckCommandLineTests
{
    [Theory]
    [InlineData(new[] { "netcheck" }, "--server")]
    [InlineData(new[] { "netcheck", "--server", "127.0.0.1:0" }, "port must be")]
    [InlineData(new[] { "netcheck", "--server", "127.0.0.1", "--lifetime", "--lifetime-max", "1" }, "--lifetime-max must be")]
    [InlineData(new[] { "netcheck", "--server", "127.0.0.1", "--bind", "somewhere" }, "--bind")]
    public async Task Bad_usage_exits_2_naming_the_problem(string[] args, string expected)
    {
        using var error = new StringWriter();
        int exitCode = await PeerCommandLine.RunAsync(args, TextWriter.Null, error, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_server_gives_exit_1_and_json_that_says_so()
    {
        // A bound socket that never answers: the requests go somewhere real on loopback and vanish.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var output = new StringWriter();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        int exitCode = await PeerCommandLine.RunAsync(["netcheck", "--server", silent.LocalEndPoint!.ToString()!, "--json"], output, TextWriter.Null, TextReader.Null, limit.Token);

        Assert.Equal(ExitCodes.NoPath, exitCode);
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("publicEndpoint").ValueKind);
        Assert.Equal("unknown", json.RootElement.GetProperty("mapping").GetString());
        Assert.Contains("did not answer", json.RootElement.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);
    }
}
