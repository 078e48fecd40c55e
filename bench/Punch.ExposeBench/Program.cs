using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// bench/expose-throughput.sh runs this once the server and `punch expose` are up:
//   Punch.ExposeBench LOCAL_PORT PUBLIC_PORT SERVER_PID PEER_PID
// It runs the local service on LOCAL_PORT (download: sends the asked bytes; upload: reads to the
// end), then moves the same bytes plain (straight to LOCAL_PORT) and exposed (through PUBLIC_PORT:
// visitor → server → data connection → peer → local service) in each scenario, alternating, three
// rounds, best round kept. Prints Markdown table rows: plain, exposed, ratio, and the CPU the server
// and the peer used in the exposed runs.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: Punch.ExposeBench LOCAL_PORT PUBLIC_PORT SERVER_PID PEER_PID");
    return 2;
}

int localPort = int.Parse(args[0], CultureInfo.InvariantCulture);
int publicPort = int.Parse(args[1], CultureInfo.InvariantCulture);
int[] pids = [int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)];
const long MiB = 1024 * 1024;
var limit = TimeSpan.FromSeconds(60);

using var service = new BenchService(localPort);
(string Name, bool Upload, int Streams, long BytesEach)[] scenarios =
[
    ("download, 1 connection", false, 1, 1024 * MiB),
    ("upload, 1 connection", true, 1, 1024 * MiB),
    ("download, 10 connections", false, 10, 100 * MiB),
    ("download, 100 connections", false, 100, 10 * MiB),
];

foreach (var scenario in scenarios)
{
    double bestPlain = 0, bestExposed = 0, cpuServer = 0, cpuPeer = 0;
    for (int round = 0; round < 3; round++)
    {
        bestPlain = Math.Max(bestPlain, await RunAsync(localPort, scenario.Upload, scenario.Streams, scenario.BytesEach));
        var before = pids.Select(Cpu.Seconds).ToArray();
        var watch = Stopwatch.StartNew();
        double exposed = await RunAsync(publicPort, scenario.Upload, scenario.Streams, scenario.BytesEach);
        double seconds = watch.Elapsed.TotalSeconds;
        if (exposed > bestExposed)
        {
            bestExposed = exposed;
            cpuServer = (Cpu.Seconds(pids[0]) - before[0]) / seconds;
            cpuPeer = (Cpu.Seconds(pids[1]) - before[1]) / seconds;
        }
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {scenario.Name} | {scenario.Streams * scenario.BytesEach / MiB} MiB | {bestPlain:0} | {bestExposed:0} | {bestExposed / bestPlain:0.00} | {cpuServer * 100:0}% / {cpuPeer * 100:0}% |"));
}

return 0;

// One run: every stream moves its bytes; returns the aggregate rate in MiB/s.
async Task<double> RunAsync(int port, bool upload, int streams, long bytesEach)
{
    service.Next(upload, bytesEach);
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, streams).Select(_ => MoveAsync(port, upload, bytesEach))).WaitAsync(limit);
    return streams * bytesEach / (double)MiB / watch.Elapsed.TotalSeconds;
}

static async Task MoveAsync(int port, bool upload, long bytes)
{
    using var client = new TcpClient { NoDelay = true };
    await client.ConnectAsync(IPAddress.Loopback, port);
    var stream = client.GetStream();
    if (upload)
    {
        await Transfer.SendAsync(stream, bytes);
        client.Client.Shutdown(SocketShutdown.Send);
        // The service closes once it has read everything: the bytes arrived, not just left.
        await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false);
    }
    else
    {
        long got = await Transfer.DrainAsync(stream);
        if (got != bytes)
        {
            throw new InvalidOperationException($"got {got} of {bytes} bytes");
        }
    }
}

/// <summary>The exposed local service: per connection sends (download) or reads (upload) the bytes of the current scenario.</summary>
internal sealed class BenchService : IDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _upload;
    private long _bytes;

    public BenchService(int port)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start(512);
        _ = AcceptAsync();
    }

    public void Next(bool upload, long bytes)
    {
        _upload = upload;
        Interlocked.Exchange(ref _bytes, bytes);
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                _ = ServeAsync(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        socket.NoDelay = true;
        using var stream = new NetworkStream(socket);
        try
        {
            if (_upload)
            {
                await Transfer.DrainAsync(stream);
            }
            else
            {
                await Transfer.SendAsync(stream, Interlocked.Read(ref _bytes));
            }

            socket.Shutdown(SocketShutdown.Send);
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}

internal static class Transfer
{
    private static readonly byte[] Chunk = new byte[64 * 1024];

    public static async Task SendAsync(Stream stream, long bytes)
    {
        for (long left = bytes; left > 0; left -= Chunk.Length)
        {
            await stream.WriteAsync(Chunk.AsMemory(0, (int)Math.Min(Chunk.Length, left)));
        }
    }

    public static async Task<long> DrainAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }
}

/// <summary>CPU seconds (user + system) a process used so far, from /proc/PID/stat.</summary>
internal static class Cpu
{
    public static double Seconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the command name.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
