using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Punch.Lab.Agent;

/// <summary>
/// UDP probe for the NAT lab. Every command is bounded in time; output is one line per fact so the
/// tests can parse it:
/// <list type="bullet">
/// <item><c>echo --bind A:P [--bind ...] --seconds S</c>: answers each datagram with "seen IP:PORT", the
/// source it saw (a STUN Binding without the codec). Prints "listening" once every socket is bound.</item>
/// <item><c>probe --local-port L --to A:P [--to ...] [--listen-seconds S]</c>: from one socket sends to each
/// echo and prints "mapped A:P SEEN" (the NAT's mapping toward it), then "ready", then for S seconds
/// "received SOURCE PAYLOAD" for every other datagram (unsolicited ones the NAT let in).</item>
/// <item><c>send --from A:P --to B:Q [--count N]</c>: sends N datagrams "unsolicited-from-A:P".</item>
/// </list>
/// Exit code 0 on success, 1 when an echo never answered, 2 on bad arguments.
/// </summary>
public static class Program
{
    private static readonly TimeSpan EchoWait = TimeSpan.FromMilliseconds(400);
    private const int EchoAttempts = 5;

    public static async Task<int> Main(string[] args)
    {
        try
        {
            var options = Options.Parse(args.Skip(1));
            return args.FirstOrDefault() switch
            {
                "echo" => await EchoAsync(options),
                "probe" => await ProbeAsync(options),
                "send" => await SendAsync(options),
                _ => Usage(),
            };
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: lab-agent echo|probe|send [--bind A:P] [--local-port L] [--to A:P] [--from A:P] [--seconds S] [--listen-seconds S] [--count N]");
        return 2;
    }

    private static async Task<int> EchoAsync(Options options)
    {
        var sockets = options.All("--bind").Select(Bind).ToList();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Number("--seconds", 120)));
        Console.WriteLine("listening");
        var loops = sockets.Select(async socket =>
        {
            var buffer = new byte[1500];
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop.Token);
                    await socket.SendToAsync(Encoding.ASCII.GetBytes($"seen {received.RemoteEndPoint}"), received.RemoteEndPoint, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (SocketException)
                {
                    // An ICMP error for an earlier reply surfaces on the next receive on Linux; keep serving.
                }
            }
        });
        await Task.WhenAll(loops);
        sockets.ForEach(s => s.Dispose());
        return 0;
    }

    private static async Task<int> ProbeAsync(Options options)
    {
        using var socket = Bind($"0.0.0.0:{options.Number("--local-port", 0)}");
        int status = 0;
        var buffer = new byte[1500];
        foreach (var target in options.All("--to").Select(IPEndPoint.Parse))
        {
            string? seen = null;
            for (int attempt = 0; attempt < EchoAttempts && seen is null; attempt++)
            {
                await socket.SendToAsync(Encoding.ASCII.GetBytes("probe"), target);
                using var wait = new CancellationTokenSource(EchoWait);
                seen = await ReceiveEchoAsync(socket, target, buffer, wait.Token);
            }

            Console.WriteLine(seen is null ? $"unanswered {target}" : $"mapped {target} {seen}");
            status = seen is null ? 1 : status;
        }

        Console.WriteLine("ready");
        using var listen = new CancellationTokenSource(TimeSpan.FromSeconds(options.Number("--listen-seconds", 0)));
        while (!listen.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), listen.Token);
                Console.WriteLine($"received {received.RemoteEndPoint} {Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes)}");
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException)
            {
                // See EchoAsync: a stale ICMP error, not this datagram's fate.
            }
        }

        return status;
    }

    /// <summary>Waits for the echo's answer; anything else (a late answer of another echo) is skipped.</summary>
    private static async Task<string?> ReceiveEchoAsync(Socket socket, IPEndPoint target, byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), cancellationToken);
                string text = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
                if (received.RemoteEndPoint.Equals(target) && text.StartsWith("seen ", StringComparison.Ordinal))
                {
                    return text["seen ".Length..];
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send; try again.
            }
        }
    }

    private static async Task<int> SendAsync(Options options)
    {
        string from = options.Single("--from");
        using var socket = Bind(from);
        var target = IPEndPoint.Parse(options.Single("--to"));
        for (int i = 0; i < options.Number("--count", 3); i++)
        {
            await socket.SendToAsync(Encoding.ASCII.GetBytes($"unsolicited-from-{from}"), target);
            await Task.Delay(50);
        }

        return 0;
    }

    private static Socket Bind(string endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(IPEndPoint.Parse(endPoint));
        return socket;
    }

    /// <summary>"--name value" pairs; a name may repeat.</summary>
    private sealed class Options(ILookup<string, string> values)
    {
        public static Options Parse(IEnumerable<string> args)
        {
            var list = args.ToList();
            if (list.Count % 2 != 0 || list.Where((_, i) => i % 2 == 0).Any(name => !name.StartsWith("--", StringComparison.Ordinal)))
            {
                throw new FormatException("arguments must be --name value pairs");
            }

            return new Options(Enumerable.Range(0, list.Count / 2).ToLookup(i => list[2 * i], i => list[(2 * i) + 1]));
        }

        public IEnumerable<string> All(string name) => values[name];

        public string Single(string name) => values[name].SingleOrDefault() ?? throw new FormatException($"{name} is required");

        public double Number(string name, double fallback) =>
            values[name].SingleOrDefault() is { } text
                ? double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : throw new FormatException($"{name} must be a number")
                : fallback;
    }
}
