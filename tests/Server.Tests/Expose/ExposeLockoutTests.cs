using System.Diagnostics;
using System.Net;
using Punch.Server.Expose;
using Xunit.Abstractions;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// Idle connections from one address (127.0.0.2) must not lock out visitors or exposers from another
/// (127.0.0.1): with the default per-address caps, the legitimate side is served within 2 s while
/// the attacker's connections are still open.
/// </summary>
public sealed class ExposeLockoutTests(ITestOutputHelper output) : ExposeHost
{
    private static readonly IPAddress Attacker = IPAddress.Parse("127.0.0.2");
    private static readonly TimeSpan ServedWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Three_hundred_idle_visitor_connections_from_one_address_do_not_lock_out_a_visitor()
    {
        var (_, port) = await ExposeLocalAsync("web", LocalService.Mode.Echo);

        using var idle = await IdleConnections.OpenAsync(Attacker, new IPEndPoint(IPAddress.Loopback, port), 300);
        // All 300 completed their handshakes first, so the server takes the visitor after them (one backlog, in order).

        var clock = Stopwatch.StartNew();
        await AssertEchoesAsync(port, IPAddress.Loopback, ServedWithin);

        output.WriteLine($"visitor from 127.0.0.1 served in {clock.Elapsed.TotalMilliseconds:0} ms after 300 idle connections from 127.0.0.2");
        Assert.True(clock.Elapsed < ServedWithin, $"the visitor was served after {clock.Elapsed}");
        var attackers = Snapshot.Services.Single().Visitors.Count(v => v.Visitor.StartsWith("127.0.0.2:", StringComparison.Ordinal));
        Assert.InRange(attackers, 1, 32);
        Assert.Equal(300 - 32, Refused(ExposeRefusalKind.VisitorsPerAddress));
        Assert.Equal(0, Refused(ExposeRefusalKind.VisitorsPerService));
    }

    [Fact]
    public async Task Eleven_hundred_idle_connections_to_the_control_port_from_one_address_do_not_lock_out_an_exposer()
    {
        var (_, port) = await ExposeLocalAsync("web", LocalService.Mode.Echo);
        var second = StartLocal(LocalService.Mode.Echo);
        int secondPort = FreePort();

        int descriptorsBefore = OpenDescriptors();
        using var idle = await IdleConnections.OpenAsync(Attacker, Control, 1100);
        // The flood is in: its first connections are still within Expose:HelloTimeout (5 s).
        var clock = Stopwatch.StartNew();
        // A visitor needs the exposer's data connection through the control port...
        await AssertEchoesAsync(port, IPAddress.Loopback, ServedWithin);
        // ...and a new exposer its control connection.
        var peer = StartPeer("second", second.EndPoint, secondPort);
        await peer.WaitForExposedAsync().WaitAsync(ServedWithin);

        output.WriteLine($"visit and new exposer served in {clock.Elapsed.TotalMilliseconds:0} ms after 1,100 idle connections from 127.0.0.2; {OpenDescriptors() - descriptorsBefore} more descriptors in the process");
        Assert.True(clock.Elapsed < ServedWithin * 2, $"served after {clock.Elapsed}");
        Assert.True(Refused(ExposeRefusalKind.PendingPerAddress) >= 1100 - 16 - 1, $"{Refused(ExposeRefusalKind.PendingPerAddress)} refused per address");
        // Server and attacker share this process: the attacker's 1,100 sockets, the server's side of the 16 it keeps
        // waiting, and the new exposer's few. A refused connection left to the hello timeout would add one each.
        int grown = OpenDescriptors() - descriptorsBefore;
        Assert.True(grown < 1100 + 16 + 64, $"{grown} more descriptors open during the flood");
    }

    /// <summary>This process's open file descriptors (Linux: one entry each in /proc/self/fd).</summary>
    private static int OpenDescriptors() => Directory.GetFiles("/proc/self/fd").Length;
}
