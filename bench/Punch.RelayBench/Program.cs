using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Punch.Core.Protocol;
using Punch.RelayBench;

// Relayed throughput of a real Punch server, shaped like coturn's turnutils_uclient + turnutils_peer
// so the two can be compared: "alice" sends MESSAGES frames of LENGTH payload bytes through the
// relay, "bob" echoes each one back through the relay, alice counts the echoes. Every message
// crosses the relay twice. At most WINDOW messages are in flight, so the sender runs at the relay's
// pace instead of overflowing socket queues. Prints one line: key=value pairs for the script.
// Usage: Punch.RelayBench SERVER_IP:PORT [messages=100000] [length=1000] [window=256]
// Or: Punch.RelayBench --setup SERVER_IP:PORT PAIRS — sets up PAIRS relayed sessions, prints "alice_port bob_port channel"
// per line and exits; bench/packet/relay-load.c then binds those ports and drives the data plane (the relay knows a side by its address).
if (args.Length == 3 && args[0] == "--setup" && IPEndPoint.TryParse(args[1], out var setupServer))
{
    string setupRun = Guid.NewGuid().ToString("N")[..8];
    int pairs = int.Parse(args[2], CultureInfo.InvariantCulture);
    var clients = new List<RelayClient>();
    for (int i = 0; i < pairs; i++)
    {
        var a = new RelayClient(setupServer, new PeerIdentity("bench", $"a{i}-{setupRun}"));
        var b = new RelayClient(setupServer, new PeerIdentity("bench", $"b{i}-{setupRun}"));
        clients.Add(a);
        clients.Add(b);
        a.Register();
        b.Register();
        a.Connect(b.Identity.Name);
        a.AwaitIntroduction();
        b.AwaitIntroduction();
        a.Activate();
        b.Activate();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{((IPEndPoint)a.Socket.LocalEndPoint!).Port} {((IPEndPoint)b.Socket.LocalEndPoint!).Port} {a.Channel}"));
    }

    clients.ForEach(c => c.Dispose());
    return 0;
}

if (args.Length < 1 || !IPEndPoint.TryParse(args[0], out var server))
{
    Console.Error.WriteLine("usage: Punch.RelayBench SERVER_IP:PORT [messages] [length] [window]");
    return 2;
}

int messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
int length = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
int window = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 256;
var runLimit = TimeSpan.FromSeconds(120);

string run = Guid.NewGuid().ToString("N")[..8];
using var alice = new RelayClient(server, new PeerIdentity("bench", $"alice-{run}"));
using var bob = new RelayClient(server, new PeerIdentity("bench", $"bob-{run}"));
alice.Register();
bob.Register();
alice.Connect(bob.Identity.Name);
alice.AwaitIntroduction();
bob.AwaitIntroduction();
alice.Activate();
bob.Activate();

var result = new ThroughputRun(alice, bob, messages, length, window, runLimit).Run();
double seconds = result.Elapsed.TotalSeconds;
long relayed = 2L * result.Echoed;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"relay=punch messages={messages} echoed={result.Echoed} lost={messages - result.Echoed} length={length} seconds={seconds:0.000} relayed_datagrams_per_s={relayed / seconds:0} relayed_mbit_per_s={relayed * length * 8 / seconds / 1e6:0.0}"));
// A few lost datagrams are part of full-speed UDP (the script reports them); none at all means the relay did not work.
return result.Echoed > 0 ? 0 : 1;

/// <summary>The timed part: a sender bounded by the window, an echoing bob, a counting receiver; all bounded by a time limit.</summary>
internal sealed class ThroughputRun(RelayClient alice, RelayClient bob, int messages, int length, int window, TimeSpan limit)
{
    private readonly Stopwatch _clock = new();
    private int _echoed;
    private long _lastEchoTicks;

    public (int Echoed, TimeSpan Elapsed) Run()
    {
        using var stop = new CancellationTokenSource(limit);
        var echo = new Thread(() => Echo(stop.Token)) { IsBackground = true };
        var count = new Thread(() => Count(stop)) { IsBackground = true };
        echo.Start();
        count.Start();
        _clock.Start();
        Send(stop.Token);
        count.Join();
        stop.Cancel();
        echo.Join();

        // Up to the last echo: a lost tail must not add the receiver's idle wait to the time.
        return (Volatile.Read(ref _echoed), TimeSpan.FromTicks(Interlocked.Read(ref _lastEchoTicks)));
    }

    private void Send(CancellationToken stop)
    {
        var frame = new byte[4 + length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, alice.Channel);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)length);
        for (int sent = 0; sent < messages && !stop.IsCancellationRequested;)
        {
            if (sent - Volatile.Read(ref _echoed) >= window)
            {
                Thread.SpinWait(20);
                continue;
            }

            alice.Socket.Send(frame);
            sent++;
        }
    }

    /// <summary>Bob sends each frame back unchanged: the channel is the session's on both sides.</summary>
    private void Echo(CancellationToken stop)
    {
        var buffer = new byte[2048];
        bob.Socket.ReceiveTimeout = 200;
        while (!stop.IsCancellationRequested)
        {
            if (TryReceive(bob, buffer) is int received and > 0 && PeerFrameLike(buffer))
            {
                bob.Socket.Send(buffer.AsSpan(0, received));
            }
        }
    }

    /// <summary>Counts echoes until all came back, or the run's time is up, or nothing arrived for a second (the rest were lost).</summary>
    private void Count(CancellationTokenSource stop)
    {
        var buffer = new byte[2048];
        alice.Socket.ReceiveTimeout = 1000;
        while (Volatile.Read(ref _echoed) < messages && !stop.IsCancellationRequested)
        {
            int? received = TryReceive(alice, buffer);
            if (received is null)
            {
                break;
            }

            if (PeerFrameLike(buffer))
            {
                Interlocked.Increment(ref _echoed);
                Interlocked.Exchange(ref _lastEchoTicks, _clock.Elapsed.Ticks);
            }
        }
    }

    private static bool PeerFrameLike(byte[] datagram) => (datagram[0] & 0xC0) == 0x40;

    /// <summary>The datagram's length, or null when the socket's receive timeout passed.</summary>
    private static int? TryReceive(RelayClient client, byte[] buffer)
    {
        try
        {
            return client.Socket.Receive(buffer);
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.TimedOut)
        {
            return null;
        }
    }
}
