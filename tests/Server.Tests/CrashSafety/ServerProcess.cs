using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Punch.Server.Tests.CrashSafety;

/// <summary>
/// The real built server (<c>dotnet Punch.Server.Web.dll</c>) as a child process, on loopback ports
/// and a database file the test chooses, so it can be killed for real. Disposing kills the whole
/// process tree if it is still running, whatever the test did.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly TaskCompletionSource<int> _httpPort = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _udpListening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    public int HttpPort { get; private set; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until both its HTTP and its UDP side listen.</summary>
    public static async Task<ServerProcess> StartAsync(string databasePath, int udpPort, int probePort, params string[] extraSettings)
    {
        var start = StartInfo(databasePath, udpPort, probePort, extraSettings);
        var server = new ServerProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
        server._process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            server.HttpPort = await server._httpPort.Task.WaitAsync(StartLimit);
            await server._udpListening.Task.WaitAsync(StartLimit);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"the server did not start within {StartLimit.TotalSeconds:0} s; its output:\n{server.Log}");
        }

        return server;
    }

    /// <summary>Starts the server expecting it to refuse: its exit code and all it printed (stdout, then stderr).</summary>
    public static async Task<(int ExitCode, string Output)> RunToRefusalAsync(string databasePath, params string[] extraSettings)
    {
        var refused = await RunUntilExitAsync(databasePath, FreeUdpPort(), FreeUdpPort(), StartLimit, extraSettings);
        return (refused.ExitCode, string.Join('\n', refused.Stdout.Concat(refused.Stderr)));
    }

    /// <summary>
    /// Starts the server expecting it to refuse the start: waits (at most <paramref name="limit"/>) for it to
    /// exit and returns its exit code and what it wrote to stdout and stderr, line by line.
    /// </summary>
    public static async Task<RefusedStart> RunUntilExitAsync(string databasePath, int udpPort, int probePort, TimeSpan limit, params string[] extraSettings)
    {
        using var process = Process.Start(StartInfo(databasePath, udpPort, probePort, extraSettings)) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(limit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"the server did not exit within {limit.TotalSeconds:0} s; a refusal was expected");
        }

        return new RefusedStart(process.ExitCode, Lines(await stdout.WaitAsync(limit)), Lines(await stderr.WaitAsync(limit)));

        static string[] Lines(string text) => [.. text.Split('\n').Select(l => l.TrimEnd('\r'))];
    }

    private static ProcessStartInfo StartInfo(string databasePath, int udpPort, int probePort, string[] extraSettings)
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "Punch.Server.Web.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // Not the test's folder: nothing of a developer's appsettings or punch.db is picked up; every setting is an argument.
            WorkingDirectory = Path.GetDirectoryName(databasePath)!,
        };
        string[] arguments =
        [
            serverDll,
            "--urls", "http://127.0.0.1:0",
            "--ConnectionStrings:Punch", $"Data Source={databasePath}",
            "--Rendezvous:BindAddress", "127.0.0.1",
            "--Rendezvous:Port", udpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Rendezvous:AlternatePort", probePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The load comes from one loopback address at a thousand registrations a second: the
            // per-source rate limit and peer caps (their own tests cover them) would turn a crash test into a limit test.
            "--Rendezvous:RateLimit:Enabled", "false",
            "--Rendezvous:MaxPeersPerAddress", "100000",
            "--Rendezvous:MaxPeersPerNetwork", "100000",
            "--Rendezvous:MaxPeers", "100000",
            // Quiet except for what the test waits for: the listening lines and the shutdown drain.
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information",
            "--Logging:LogLevel:Punch", "Information",
            .. extraSettings,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        return start;
    }

    /// <summary>A free loopback UDP port (bound and released; the server binds it again a moment later).</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}"), Timeout = TimeSpan.FromSeconds(15) };

    /// <summary>SIGKILL: no shutdown code runs, as when the machine's OOM killer or an operator's kill -9 strikes.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>SIGTERM (what systemd, docker stop and Ctrl+C in a service manager send), then waits for the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan limit)
    {
        if (Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        await _process.WaitForExitAsync().WaitAsync(limit);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (TimeoutException)
        {
            // Nothing more can be done from here; the test reports its own failure.
        }

        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (HttpListening().Match(line) is { Success: true } http)
        {
            _httpPort.TrySetResult(int.Parse(http.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (line.Contains("UDP rendezvous listening on", StringComparison.Ordinal))
        {
            _udpListening.TrySetResult();
        }
    }

    [GeneratedRegex(@"Now listening on: http://127\.0\.0\.1:(\d+)")]
    private static partial Regex HttpListening();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
