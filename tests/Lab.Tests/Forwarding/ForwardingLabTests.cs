using System.Security.Cryptography;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Punching;
using Punch.Lab.Tests.Relay;
using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Forwarding;

/// <summary>
/// Peer-to-peer expose and forward through real NATs: an HTTP server (python3 -m http.server) behind one NAT with
/// <c>punch expose</c> beside it, <c>punch forward</c> behind another NAT, and curl fetching through
/// the forward listener: a 10 MB file arrives with its checksum, 50 parallel fetches all complete,
/// and both still do with 5% loss on the internet.
/// </summary>
[Collection(NatLabCollection.Name)]
public sealed class ForwardingLabTests(NatLab lab, ITestOutputHelper output) : IDisposable
{
    private const int HttpPort = 8080;
    private const int ForwardPort = 9000;
    private const int BigFile = 10_000_000;
    private const int SmallFile = 200_000;
    private const int Parallel = 50;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    /// <summary>Port-restricted on both sides: the NAT Linux gives by default, and a pair that punches a direct path.</summary>
    private static readonly LabPair Pair = LabPair.Named("PR-PR");

    private static int s_runs;
    private readonly string _files = Directory.CreateTempSubdirectory("punch-lab-http-").FullName;

    public void Dispose() => Directory.Delete(_files, recursive: true);

    [LabFact]
    public async Task Curl_through_forward_gets_a_10_MB_file_intact_and_50_parallel_fetches()
    {
        await using var run = await StartAsync();
        await FetchBothAsync(run, "no loss");
    }

    [LabFact]
    public async Task With_5_percent_loss_both_still_complete()
    {
        await using var run = await StartAsync();
        await lab.SetLossAsync(5);
        try
        {
            await FetchBothAsync(run, "5% loss");
            output.WriteLine($"datagrams dropped by the loss rule: {await lab.LossDropsAsync()}");
        }
        finally
        {
            await lab.SetLossAsync(0);
        }
    }

    [LabFact]
    public async Task A_download_carries_on_when_the_direct_path_dies_mid_transfer()
    {
        await using var run = await StartAsync();
        await run.Forward.WaitForLineAsync(line => PeerOutcome.IsPath(line, "direct"), StartLimit);
        // Paced at 1 MB/s (the relay carries 2 MB/s a session by default), so the 10 MB take ~10 s and the cut falls inside them.
        var fetch = lab.StartTool(run.Visitor.Namespace, "/bin/sh",
            ["-c", $"curl -sSf --max-time 50 --limit-rate 1M http://{run.Listen}/big.bin | sha256sum"]);
        await run.Forward.WaitForLineAsync(line => line.Contains("\"event\":\"tunnel\"", StringComparison.Ordinal), StartLimit);
        await Task.Delay(TimeSpan.FromSeconds(2)); // a couple of MB over the direct path first
        await using (var block = await DirectPathBlock.StartAsync(lab, run.Visitor.Site))
        {
            await block.FlushConntrackAsync();
            await run.Forward.WaitForLineAsync(
                line => PeerOutcome.IsPath(line, "relayed") && line.Contains("\"previous\":\"direct\"", StringComparison.Ordinal), TimeSpan.FromSeconds(25));
        }

        await fetch.WaitForExitAsync(TimeSpan.FromSeconds(55));
        string paths = string.Join('→', run.Forward.Lines.Where(line => PeerOutcome.IsPath(line, "direct") || PeerOutcome.IsPath(line, "relayed"))
            .Select(line => line.Contains("\"kind\":\"direct\"", StringComparison.Ordinal) ? "direct" : "relayed"));
        output.WriteLine($"{Pair.Name}: 10 MB across the cut; forward's paths {paths}");
        Assert.True(fetch.Lines.Count > 0 && fetch.Lines[0].StartsWith(Convert.ToHexStringLower(run.BigHash), StringComparison.Ordinal),
            $"the download did not survive the switch: {fetch.ErrorText}\nforward:\n{run.Forward.Transcript()}");
    }

    private async Task FetchBothAsync(Running run, string label)
    {
        var big = await Shell.RunAsync("ip", ["netns", "exec", run.Visitor.Namespace, "sh", "-c",
            $"curl -sSf --max-time 40 http://{run.Listen}/big.bin | sha256sum"], limit: TimeSpan.FromSeconds(50));
        Assert.True(big.StandardOutput.StartsWith(Convert.ToHexStringLower(run.BigHash), StringComparison.Ordinal),
            $"{label}: the 10 MB fetch failed: {big.StandardError}\nforward:\n{run.Forward.Transcript()}\nexpose:\n{run.Expose.Transcript()}");

        var urls = Enumerable.Range(0, Parallel).SelectMany(i => new[] { "-o", "/dev/null", $"http://{run.Listen}/small.bin?{i}" });
        var parallel = await Shell.RunAsync("ip", ["netns", "exec", run.Visitor.Namespace, "curl", "-sSf", "--max-time", "40",
            "--parallel", "--parallel-max", $"{Parallel}", "-w", "%{http_code} %{size_download}\\n", .. urls], limit: TimeSpan.FromSeconds(50));
        var lines = parallel.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        output.WriteLine($"{label}: 10 MB checksum ok; {lines.Length} parallel fetches answered");
        Assert.Equal(Parallel, lines.Length);
        Assert.All(lines, line => Assert.Equal($"200 {SmallFile}", line.Trim()));
    }

    private sealed record Running(LabHost Visitor, string Listen, byte[] BigHash, LabProcess Http, LabProcess Expose, LabProcess Forward) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Forward.DisposeAsync();
            await Expose.DisposeAsync();
            await Http.DisposeAsync();
        }
    }

    private async Task<Running> StartAsync()
    {
        var (service, visitor) = Pair.Hosts(lab);
        var big = new byte[BigFile];
        new Random(7).NextBytes(big);
        await File.WriteAllBytesAsync(Path.Combine(_files, "big.bin"), big);
        await File.WriteAllBytesAsync(Path.Combine(_files, "small.bin"), big.AsMemory(0, SmallFile));

        // A port per run: the server of an earlier test may still be letting go of its own.
        int httpPort = HttpPort + Interlocked.Increment(ref s_runs);
        var http = lab.StartTool(service.Namespace, "/usr/bin/python3",
            ["-u", "-m", "http.server", $"{httpPort}", "--bind", service.Address, "--directory", _files]);
        await http.WaitForLineAsync(line => line.StartsWith("Serving HTTP", StringComparison.Ordinal), StartLimit);
        string web = PeerPair.FreshName(service, "web");
        var expose = lab.Start(service.Namespace, LabBinaries.PeerDll, [.. PeerPair.CommonArguments("expose", web), "--local", $"{service.Address}:{httpPort}"]);
        await expose.WaitForLineAsync(line => line.Contains("\"event\":\"exposing\"", StringComparison.Ordinal), StartLimit);
        string listen = $"{visitor.Address}:{ForwardPort}";
        var forward = lab.Start(visitor.Namespace, LabBinaries.PeerDll,
            [.. PeerPair.CommonArguments("forward", PeerPair.FreshName(visitor, "me")), "--peer", web, "--listen", listen]);
        await forward.WaitForLineAsync(line => line.Contains("\"event\":\"forwarding\"", StringComparison.Ordinal), StartLimit);
        output.WriteLine($"{Pair.Name}: expose {web} at {service}, forward at {listen}");
        return new Running(visitor, listen, SHA256.HashData(big), http, expose, forward);
    }
}
