using System.Globalization;
using System.Net;
using Punch.ScaleBench;

// The load side of bench/scale.sh: PEERS peers registered through the real protocol from SOCKETS loopback
// addresses, refreshing as the peer does (every lifetime/3), then Connect introductions between registered
// pairs. Prints "phase=..." lines the script waits for (it measures the server between them) and key=value results.
// Usage: Punch.ScaleBench SERVER_IP:PORT PEERS SOCKETS REGISTER_PER_S STEADY_S CONNECT_S CONNECT_WINDOW HOLD_S LIFETIME_S
if (args.Length != 9 || !IPEndPoint.TryParse(args[0], out var server))
{
    Console.Error.WriteLine("usage: Punch.ScaleBench SERVER_IP:PORT PEERS SOCKETS REGISTER_PER_S STEADY_S CONNECT_S CONNECT_WINDOW HOLD_S LIFETIME_S");
    return 2;
}

int[] n = [.. args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture))];
var (peers, sockets, registerRate, steady, connect, window, hold, lifetime) = (n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7]);
if (peers < 200 || sockets < 1 || sockets > 16_000 || registerRate < 1 || lifetime < 3 || new[] { steady, connect, hold }.Any(s => s < 1 || s > 300))
{
    Console.Error.WriteLine("bad arguments");
    return 2;
}

void Phase(string line)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"phase={line} at={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}"));
    Console.Out.Flush();
}

// A third of the lifetime, as Peer.Console's Registration refreshes.
using var load = new ScaleLoad(server, peers, sockets, TimeSpan.FromSeconds(lifetime / 3.0));
load.Start();
Phase("register-start");
var started = DateTime.UtcNow;
bool all = load.RegisterAll(registerRate, TimeSpan.FromSeconds(Math.Max(60, 3.0 * peers / registerRate)));
Phase(string.Create(CultureInfo.InvariantCulture, $"registered seconds={(DateTime.UtcNow - started).TotalSeconds:0.0} all={all}"));
Phase("steady-start");
load.Hold(TimeSpan.FromSeconds(steady), measureRefresh: true);
Phase("steady-end");
double connectSeconds = load.Connect(TimeSpan.FromSeconds(connect), window);
long introductions = long.Parse(load.Describe().Split(' ').First(p => p.StartsWith("introductions=", StringComparison.Ordinal))[14..], CultureInfo.InvariantCulture);
Phase("connect-end");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"result peers={peers} sockets={sockets} register_per_s={registerRate} {load.Registration.Describe("register")} {load.RegistrationUnderLoad.Describe("register_loaded")} {load.SteadyRefresh.Describe("refresh")} {load.Introduction.Describe("introduction")} introductions_per_s={introductions / connectSeconds:0} window={window} {load.Describe()}"));
Phase("hold");
load.Hold(TimeSpan.FromSeconds(hold), measureRefresh: false);
Phase("done");
return all ? 0 : 1;
