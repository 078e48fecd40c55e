using System.Text.Json;
using Punch.Peer.Cli;
using Xunit.Abstractions;

namespace Punch.Peer.Tests;

/// <summary>The real command line, two peers, --json: every stdout line is one JSON object with an event field.</summary>
public class CommandLineEndToEndTests(ITestOutputHelper log)
{
    [Fact]
    public async Task Json_output_is_one_object_per_line_with_the_documented_events()
    {
        await using var server = new FakeRendezvous();
        string[] Args(string name, string peer) =>
            ["connect", "--server", server.EndPoint.ToString(), "--name", name, "--peer", peer, "--count", "3",
             "--interval", "0.2", "--linger", "0.5", "--bind", "127.0.0.1", "--json"];
        using var aliceOut = new StringWriter();
        using var bobOut = new StringWriter();
        using var errors = new StringWriter();

        var exitCodes = await Task.WhenAll(
            Task.Run(() => PeerCommandLine.RunAsync(Args("alice", "bob"), TextWriter.Synchronized(aliceOut), TextWriter.Synchronized(errors), TextReader.Null, CancellationToken.None)),
            Task.Run(() => PeerCommandLine.RunAsync(Args("bob", "alice"), TextWriter.Synchronized(bobOut), TextWriter.Synchronized(errors), TextReader.Null, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(30));

        log.WriteLine(aliceOut.ToString());
        Assert.Equal([0, 0], exitCodes);
        Assert.Equal(string.Empty, errors.ToString());
        var events = aliceOut.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var names = events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal("registered", names[0]);
        Assert.Contains("introduced", names);
        Assert.Equal(3, names.Count(n => n == "pong"));
        Assert.Equal("closed", names[^1]);
        var path = events.Single(e => e.GetProperty("event").GetString() == "path");
        Assert.Equal("direct", path.GetProperty("kind").GetString());
        Assert.StartsWith("127.0.0.1:", path.GetProperty("remote").GetString(), StringComparison.Ordinal);
        Assert.True(path.GetProperty("elapsedMs").GetDouble() >= 0);
        var pong = events.First(e => e.GetProperty("event").GetString() == "pong");
        Assert.Equal(1, pong.GetProperty("seq").GetInt32());
        Assert.True(pong.GetProperty("rttMs").GetDouble() > 0);
        Assert.NotEmpty(events.Single(e => e.GetProperty("event").GetString() == "introduced").GetProperty("candidates").EnumerateArray());
    }

    [Fact]
    public async Task Human_output_says_what_happened_where_and_how_long()
    {
        await using var server = new FakeRendezvous();
        string[] Args(string name, string peer) =>
            ["connect", "--server", server.EndPoint.ToString(), "--name", name, "--peer", peer, "--count", "2",
             "--interval", "0.2", "--linger", "0.5", "--bind", "127.0.0.1"];
        using var aliceOut = new StringWriter();

        var exitCodes = await Task.WhenAll(
            Task.Run(() => PeerCommandLine.RunAsync(Args("alice", "bob"), TextWriter.Synchronized(aliceOut), TextWriter.Synchronized(aliceOut), TextReader.Null, CancellationToken.None)),
            Task.Run(() => PeerCommandLine.RunAsync(Args("bob", "alice"), TextWriter.Null, TextWriter.Null, TextReader.Null, CancellationToken.None)))
            .WaitAsync(TimeSpan.FromSeconds(30));

        string text = aliceOut.ToString();
        log.WriteLine(text);
        Assert.Equal([0, 0], exitCodes);
        Assert.Contains("registered as alice@default", text, StringComparison.Ordinal);
        Assert.Contains("direct path to bob at 127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("2/2 pongs from bob", text, StringComparison.Ordinal);
    }
}
