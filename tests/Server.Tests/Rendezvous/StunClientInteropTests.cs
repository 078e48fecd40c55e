using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>A stock STUN client (coturn's turnutils_stunclient, installed by test.sh) against the rendezvous.</summary>
public sealed partial class StunClientInteropTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database);
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task Turnutils_stunclient_learns_its_reflexive_address()
    {
        int port = _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!.Port;
        var start = new ProcessStartInfo("turnutils_stunclient", ["-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        string text = await output + await errors;
        var match = ReflexiveAddress().Match(text);
        Assert.True(match.Success, $"no reflexive address in turnutils_stunclient output: {text}");
        Assert.Equal("127.0.0.1", match.Groups["ip"].Value);
    }

    [GeneratedRegex(@"UDP reflexive addr: (?<ip>[0-9.]+):(?<port>\d+)")]
    private static partial Regex ReflexiveAddress();
}
