using System.Security.Cryptography;
using System.Text.Json;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Expose;

/// <summary>
/// <c>punch expose --public-port</c> through real NATs: an HTTP server (python3 -m http.server) on a
/// host behind a port-restricted NAT, the exposing peer beside it, the server on the internet, and
/// curl on a host behind another NAT fetching through the server's public port.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ExposeLabTests(NatLab lab, ITestOutputHelper output) : IAsyncLifetime
{
    private const int PublicPort = 18080;
    private const int LocalPort = 8080;
    private const int Concurrent = 50;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan TransferLimit = TimeSpan.FromSeconds(40);

    private readonly string _folder = Directory.CreateTempSubdirectory("punch-expose-lab-").FullName;
    private readonly List<LabProcess> _processes = [];
    private byte[] _bigHash = [];
    private byte[] _smallHash = [];

    private LabHost ServiceHost => lab.Site(NatKind.PortRestricted).Hosts[0];
    private LabHost VisitorHost => lab.Site(NatKind.Symmetric).Hosts[0];
    private string Url(string file) => $"http://{NatLab.ServerAddress}:{PublicPort}/{file}";

    public async Task InitializeAsync()
    {
        _bigHash = WriteRandomFile("big.bin", 10 * 1024 * 1024);
        _smallHash = WriteRandomFile("small.bin", 256 * 1024);
        var http = Track(lab.StartTool(ServiceHost.Namespace, "python3", ["-u", "-m", "http.server", $"{LocalPort}", "--bind", "127.0.0.1", "--directory", _folder]));
        await http.WaitForLineAsync(line => line.Contains("Serving HTTP", StringComparison.Ordinal), StartLimit);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        await lab.SetLossAsync(0);
        Directory.Delete(_folder, recursive: true);
    }

    [LabFact]
    public async Task A_10_MB_file_and_50_concurrent_fetches_arrive_whole_through_the_public_port()
    {
        var peer = await ExposeAsync();

        await AssertFetchesAsync("without loss");

        await peer.DisposeAsync();
        await AssertNothingLeftAsync();
    }

    [LabFact]
    public async Task With_5_percent_loss_the_file_and_the_concurrent_fetches_still_arrive_whole()
    {
        var peer = await ExposeAsync();
        await lab.SetLossAsync(5, tcpToo: true);

        await AssertFetchesAsync("with 5% loss");
        output.WriteLine($"{await lab.LossDropsAsync()} packets dropped by the loss rule");

        await lab.SetLossAsync(0);
        await peer.DisposeAsync();
        await AssertNothingLeftAsync();
    }

    [LabFact]
    public async Task A_killed_peer_closes_the_port_a_restarted_one_takes_it_again_and_a_refused_port_says_why()
    {
        var first = await ExposeAsync();
        // A visitor that gives up mid-transfer (a second into a download throttled to 100 KB/s; curl 7.88 bursts to a few times its limit, 1M could finish in time) leaves no connection behind.
        var aborted = await CurlAsync(["--limit-rate", "100K", "--max-time", "1", "-o", "/dev/null", Url("big.bin")], check: false);
        Assert.True(aborted.ExitCode == 28, $"curl should time out mid-transfer (exit 28), got exit {aborted.ExitCode}: {aborted.StandardError}"); // 28: operation timed out
        await WaitForServerAsync(s => s.EnumerateArray().Sum(x => x.GetProperty("activeConnections").GetInt32()) == 0, "the aborted visitor's connection closed on the server");

        await first.DisposeAsync(); // SIGKILL: no goodbye, the kernel closes the control connection
        await AssertNothingLeftAsync();

        await ExposeAsync();
        Assert.Equal(_smallHash, await FetchAsync("small.bin"));

        var refused = StartPeer(publicPort: 19000);
        Assert.Equal(1, await refused.WaitForExitAsync(StartLimit));
        Assert.Contains("port 19000 is not allowed on this server (Expose:AllowedPorts is 18000-18100)", refused.Transcript(), StringComparison.Ordinal);
    }

    private async Task AssertFetchesAsync(string condition)
    {
        var started = DateTime.UtcNow;
        Assert.Equal(_bigHash, await FetchAsync("big.bin"));
        output.WriteLine($"10 MB {condition}: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");

        started = DateTime.UtcNow;
        string[] names = [.. Enumerable.Range(0, Concurrent).Select(i => $"c{i}.bin")];
        var args = new List<string> { "--parallel", "--parallel-max", $"{Concurrent}", "--parallel-immediate" };
        foreach (string name in names)
        {
            args.AddRange(["-o", Path.Combine(_folder, "got-" + name), Url("small.bin")]);
        }

        await CurlAsync(args);
        foreach (string name in names)
        {
            Assert.Equal(_smallHash, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(_folder, "got-" + name))));
        }

        output.WriteLine($"{Concurrent} concurrent fetches of 256 KiB {condition}: {(DateTime.UtcNow - started).TotalSeconds:0.0} s");
        await WaitForServerAsync(s => s.EnumerateArray().Single().GetProperty("totalConnections").GetInt64() >= Concurrent + 1, "every fetch counted");
    }

    private async Task<byte[]> FetchAsync(string file)
    {
        string target = Path.Combine(_folder, "got-" + file);
        await CurlAsync(["-o", target, Url(file)]);
        return SHA256.HashData(await File.ReadAllBytesAsync(target));
    }

    private Task<ShellResult> CurlAsync(IEnumerable<string> args, bool check = true) =>
        Shell.RunAsync("ip", ["netns", "exec", VisitorHost.Namespace, "curl", "-sS", "--fail", "--connect-timeout", "10", .. args], check: check, limit: TransferLimit);

    private LabProcess StartPeer(int publicPort = PublicPort) => Track(lab.Start(ServiceHost.Namespace, LabBinaries.PeerDll,
        ["expose", "--server", NatLab.ServerAddress, "--name", "web", "--local", $"127.0.0.1:{LocalPort}", "--public-port", $"{publicPort}", "--json"]));

    private async Task<LabProcess> ExposeAsync()
    {
        var peer = StartPeer();
        await peer.WaitForLineAsync(line => line.Contains("\"event\":\"exposed\"", StringComparison.Ordinal), StartLimit);
        return peer;
    }

    /// <summary>The public port refuses connections and the server lists no service.</summary>
    private async Task AssertNothingLeftAsync()
    {
        await WaitForServerAsync(s => s.GetArrayLength() == 0, "no exposed service left");
        var connect = await CurlAsync(["-o", "/dev/null", Url("small.bin")], check: false);
        Assert.True(connect.ExitCode == 7, $"the public port should refuse connections (curl exit 7), got exit {connect.ExitCode}: {connect.StandardError}");
    }

    /// <summary>Polls the server's <c>GET /api/exposed</c> (in its namespace, on loopback) until the services match.</summary>
    private async Task WaitForServerAsync(Func<JsonElement, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        string last = "";
        while (DateTime.UtcNow < deadline)
        {
            last = (await Shell.RunAsync("ip", ["netns", "exec", lab.Network.ServerNamespace, "curl", "-sS", "--max-time", "5", "http://127.0.0.1:5080/api/exposed"], check: false)).StandardOutput;
            if (TryServices(last, out var services) && done(services))
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"the server never showed {what}; last answer: {last}");
    }

    private static bool TryServices(string answer, out JsonElement services)
    {
        services = default;
        try
        {
            return JsonDocument.Parse(answer).RootElement.TryGetProperty("services", out services);
        }
        catch (JsonException)
        {
            return false; // Not up yet, or an error page: ask again.
        }
    }

    private byte[] WriteRandomFile(string name, int length)
    {
        var bytes = RandomNumberGenerator.GetBytes(length);
        File.WriteAllBytes(Path.Combine(_folder, name), bytes);
        return SHA256.HashData(bytes);
    }

    private LabProcess Track(LabProcess process)
    {
        _processes.Add(process);
        return process;
    }
}
