using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.Published;

/// <summary>
/// The native <c>punch</c> users install (Native AOT), not the assembly the other tests call in
/// process: two of them meet through the real server on loopback, punch, and ping. Catches what only
/// the published binary can get wrong: trimmed-away code, reflection that AOT does not keep, a
/// missing native dependency.
/// </summary>
public sealed class PublishedBinaryTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [PublishedBinaryFact]
    public async Task Two_native_peers_meet_through_the_server_punch_and_ping()
    {
        string binary = PublishedBinaryFactAttribute.BinaryPath;
        Assert.True(IsNativeExecutable(binary), $"{binary} is not a native executable (ELF)");
        await using var app = new PunchAppFactory(_database);
        IPEndPoint server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
        string[] common = ["--server", server.ToString(), "--bind", "127.0.0.1", "--json"];

        using var bob = Run(binary, ["listen", "--name", "bob", .. common]);
        try
        {
            await WaitForLineAsync(bob, "\"registered\"");
            using var alice = Run(binary, ["connect", "--name", "alice", "--peer", "bob", "--count", "3", "--interval", "0.2", "--linger", "0.5", .. common]);
            string output = await alice.StandardOutput.ReadToEndAsync().WaitAsync(Limit);
            await alice.WaitForExitAsync().WaitAsync(Limit);
            log.WriteLine(output);
            log.WriteLine(await alice.StandardError.ReadToEndAsync().WaitAsync(Limit));

            Assert.Equal(0, alice.ExitCode);
            var events = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement).ToList();
            // The relay carries the first ping while punching goes on; the last path is the direct one.
            var path = events.Last(e => e.GetProperty("event").GetString() == "path");
            Assert.Equal("direct", path.GetProperty("kind").GetString());
            Assert.Equal(3, events.Count(e => e.GetProperty("event").GetString() == "pong"));
        }
        finally
        {
            bob.Kill(entireProcessTree: true);
            await bob.WaitForExitAsync().WaitAsync(Limit);
        }
    }

    private static Process Run(string binary, string[] arguments)
    {
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
    }

    private static async Task WaitForLineAsync(Process process, string contains)
    {
        using var limit = new CancellationTokenSource(Limit);
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            if (line.Contains(contains, StringComparison.Ordinal))
            {
                return;
            }
        }

        throw new InvalidOperationException($"the peer exited before printing {contains}: {await process.StandardError.ReadToEndAsync(limit.Token)}");
    }

    /// <summary>ELF magic: the published binary runs on its own, not through <c>dotnet</c>.</summary>
    private static bool IsNativeExecutable(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }
}
