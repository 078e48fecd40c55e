using Punch.Peer.Cli;

namespace Punch.Peer.Tests;

public class CommandLineTests
{
    [Theory]
    [InlineData(new string[0], "Required command")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--peer", "bob" }, "--name")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice" }, "--peer")]
    [InlineData(new[] { "connect", "--name", "alice", "--peer", "bob" }, "--server")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "al ice", "--peer", "bob" }, "--name must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "b/ob" }, "--peer must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "alice" }, "another peer")]
    [InlineData(new[] { "listen", "--server", "127.0.0.1", "--name", "alice", "--network", "" }, "--network must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1:0", "--name", "alice", "--peer", "bob" }, "port must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1:http", "--name", "alice", "--peer", "bob" }, "port must be")]
    [InlineData(new[] { "connect", "--server", "[::1:3478", "--name", "alice", "--peer", "bob" }, "[ADDRESS]:PORT")]
    [InlineData(new[] { "connect", "--server", "[203.0.113.7]:3478", "--name", "alice", "--peer", "bob" }, "must be an IPv6 address")]
    [InlineData(new[] { "connect", "--server", "[::1]:70000", "--name", "alice", "--peer", "bob" }, "port must be")]
    [InlineData(new[] { "connect", "--server", "no-such-host.invalid", "--name", "alice", "--peer", "bob" }, "cannot resolve")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--count", "0" }, "--count must be at least 1")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--count", "many" }, "many")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--timeout", "0" }, "--timeout must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--interval", "-1" }, "--interval must be")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--linger", "-1" }, "--linger must be")]
    [InlineData(new[] { "listen", "--server", "127.0.0.1", "--name", "alice", "--bind", "somewhere" }, "--bind")]
    [InlineData(new[] { "listen", "--server", "127.0.0.1", "--name", "alice", "--unknown" }, "--unknown")]
    [InlineData(new[] { "connect", "--server", "127.0.0.1", "--name", "alice", "--peer", "bob", "--relay-only", "--direct-only" }, "exclude each other")]
    public async Task Bad_usage_exits_2_with_a_message_naming_the_problem(string[] args, string expected)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        int exitCode = await PeerCommandLine.RunAsync(args, output, error, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(string.Empty, output.ToString());
    }

    [Fact]
    public async Task Help_exits_0()
    {
        using var output = new StringWriter();

        int exitCode = await PeerCommandLine.RunAsync(["connect", "--help"], output, TextWriter.Null, TextReader.Null, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Contains("--peer", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("example.org", "example.org", 3478)]
    [InlineData("example.org:9000", "example.org", 9000)]
    [InlineData("203.0.113.7:1", "203.0.113.7", 1)]
    [InlineData("[2001:db8::1]:3478", "2001:db8::1", 3478)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 3478)]
    [InlineData("2001:db8::1", "2001:db8::1", 3478)]
    public void Server_text_splits_into_host_and_port(string text, string host, int port)
    {
        Assert.Null(EndPointText.TrySplit("--server", text, 3478, out string actualHost, out int actualPort));
        Assert.Equal((host, port), (actualHost, actualPort));
    }
}
