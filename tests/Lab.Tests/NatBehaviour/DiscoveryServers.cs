using System.Globalization;
using Punch.Lab.Tests.Processes;
using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>
/// Two RFC 5780 servers in the lab's server namespace, on both of its addresses (203.0.113.1 and .2):
/// a Punch rendezvous with Rendezvous:AlternateAddress, and coturn (STUN only, alternate port = port + 1).
/// Ports apart from the lab's own rendezvous (3478), which binds the wildcard. Both are stopped on dispose.
/// </summary>
public sealed class DiscoveryServers : IAsyncDisposable
{
    public const int PunchPort = 3490;
    public const int CoturnPort = 3500;
    /// <summary>The Punch server's HTTP port, on 127.0.0.1 of the server namespace (no password: loopback only).</summary>
    public const int ApiPort = 5090;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly List<LabProcess> _processes = [];
    private string? _dataDirectory;

    public static async Task<DiscoveryServers> StartAsync(NatLab lab)
    {
        var servers = new DiscoveryServers();
        try
        {
            servers._dataDirectory = Directory.CreateTempSubdirectory($"{lab.Prefix}-discovery-").FullName;
            var punch = lab.Start(lab.Network.ServerNamespace, LabBinaries.ServerDll,
            [
                "--urls", $"http://127.0.0.1:{ApiPort}",
                $"--Rendezvous:Port={PunchPort}",
                $"--Rendezvous:AlternatePort={PunchPort + 1}",
                $"--Rendezvous:BindAddress={NatLab.ServerAddress}",
                $"--Rendezvous:AlternateAddress={NatLab.SecondServerAddress}",
                $"--ConnectionStrings:Punch=Data Source={Path.Combine(servers._dataDirectory, "discovery.db")}",
            ]);
            servers._processes.Add(punch);
            // -c /dev/null: Debian's /etc/turnserver.conf must not change what is tested; log to stdout so a failure shows it.
            var coturn = lab.StartTool(lab.Network.ServerNamespace, "turnserver",
            [
                "-c", "/dev/null", "-L", NatLab.ServerAddress, "-L", NatLab.SecondServerAddress,
                "-p", CoturnPort.ToString(CultureInfo.InvariantCulture), "-S", "-z",
                "--no-tls", "--no-dtls", "--no-tcp", "--no-cli", "--log-file", "stdout",
            ]);
            servers._processes.Add(coturn);
            await punch.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal), StartLimit);
            await WaitForCoturnAsync(lab, coturn);
            return servers;
        }
        catch
        {
            await servers.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The address-restricted router remembers contacted addresses for the whole LAN, not per mapping (a lab
    /// simplification): one tool's contact with the second server address must not open the filter for the next.
    /// </summary>
    public static Task ForgetContactedAsync(NatSite site) => site.Kind == NatKind.AddressRestricted
        ? Shell.RunAsync("ip", ["netns", "exec", site.RouterNamespace, "nft", "flush", "set", "ip", $"{site.Prefix}-nat", "contacted"])
        : Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }

    /// <summary>coturn's log is block-buffered through a pipe; its last listener answering a STUN client is the sign it is up.</summary>
    private static async Task WaitForCoturnAsync(NatLab lab, LabProcess coturn)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (true)
        {
            var probe = await Shell.RunAsync("ip",
                ["netns", "exec", lab.Network.ServerNamespace, "turnutils_stunclient", "-p", (CoturnPort + 1).ToString(CultureInfo.InvariantCulture), NatLab.SecondServerAddress],
                check: false, limit: TimeSpan.FromSeconds(10));
            if (probe.StandardOutput.Contains("UDP reflexive addr", StringComparison.Ordinal))
            {
                return;
            }

            if (DateTime.UtcNow > deadline || coturn.HasExited)
            {
                throw new TimeoutException($"turnserver did not answer on {NatLab.SecondServerAddress}:{CoturnPort + 1}.\n{coturn.Transcript()}");
            }

            await Task.Delay(200);
        }
    }
}
