using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Punch.Core.Discovery;
using Punch.Core.Stun;

namespace Punch.Server.Tests.Rendezvous.Interop;

/// <summary>
/// coturn as a STUN-only RFC 5780 server on loopback: 127.0.0.1 and 127.0.0.2, a port and port + 1
/// (coturn's alternate port). <c>-c /dev/null</c>: Debian's /etc/turnserver.conf must not change what we test.
/// Killed on dispose.
/// </summary>
internal sealed class CoturnProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private CoturnProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

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

    public static async Task<CoturnProcess> StartAsync()
    {
        int port = Random.Shared.Next(20000, 30000) * 2;
        var start = new ProcessStartInfo("turnserver",
        [
            "-c", "/dev/null", "-L", "127.0.0.1", "-L", "127.0.0.2", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-S", "-z", "--no-tls", "--no-dtls", "--no-tcp", "--no-cli", "--log-file", "stdout",
        ])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        var coturn = new CoturnProcess(Process.Start(start)!, port);
        coturn._process.OutputDataReceived += (_, e) => coturn.Append(e.Data);
        coturn._process.ErrorDataReceived += (_, e) => coturn.Append(e.Data);
        coturn._process.BeginOutputReadLine();
        coturn._process.BeginErrorReadLine();
        // coturn's log is block-buffered through a pipe: ask its last listener (alternate address and port) instead.
        var deadline = DateTime.UtcNow + StartLimit;
        while (!await AnswersAsync(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port + 1)))
        {
            if (DateTime.UtcNow > deadline || coturn._process.HasExited)
            {
                await coturn.DisposeAsync();
                throw new InvalidOperationException($"turnserver did not answer on 127.0.0.2:{port + 1}:\n{coturn.Log}");
            }
        }

        return coturn;
    }

    private static async Task<bool> AnswersAsync(IPEndPoint endPoint)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var request = new byte[64];
        int length = new BehaviourRequest(TransactionId.NewRandom()).WriteTo(request);
        await socket.SendToAsync(request.AsMemory(0, length), endPoint);
        using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        try
        {
            await socket.ReceiveFromAsync(new byte[512], new IPEndPoint(IPAddress.Any, 0), wait.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(wait.Token);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
