using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Punch.Peer.Cli;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Expose;

/// <summary>
/// <c>--server</c> means the rendezvous for <c>punch expose --public-port</c> as for every command: the
/// rendezvous announces the expose control port in its Register answer, <c>--control-port</c> overrides it,
/// and a control port that refuses ends the run with one line naming the ports.
/// </summary>
public sealed class ExposeServerFlagTests : ExposeHost
{
    [Fact]
    public async Task Punch_expose_given_the_rendezvous_learns_the_control_port_and_a_visitor_reaches_the_service()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        await using var run = ExposePeer.StartCommandLine(["--server", Rendezvous.ToString(), "--local", local.EndPoint.ToString(), "--public-port", Text(port)]);

        var exposed = await run.WaitForLineAsync("exposed");
        await AssertEchoesAsync(port);

        Assert.Equal(Rendezvous.ToString(), exposed.GetProperty("server").GetString());
        Assert.Equal(Control.ToString(), exposed.GetProperty("control").GetString());
        Assert.Equal(ExitCodes.Success, await run.StopAsync());
    }

    [Fact]
    public async Task Control_port_overrides_the_announced_one()
    {
        // Another port that leads to the control port, as a port forward would: only the override reaches it.
        using var forward = new CuttableProxy(Control);
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        await using var run = ExposePeer.StartCommandLine(["--server", Rendezvous.ToString(), "--control-port", Text(forward.EndPoint.Port), "--local", local.EndPoint.ToString(), "--public-port", Text(port)]);

        var exposed = await run.WaitForLineAsync("exposed");
        await AssertEchoesAsync(port);

        Assert.Equal(forward.EndPoint.ToString(), exposed.GetProperty("control").GetString());
        Assert.Equal(ExitCodes.Success, await run.StopAsync());
    }

    [Fact]
    public async Task A_refused_control_port_ends_the_run_with_one_line_naming_the_rendezvous_and_the_control_port()
    {
        int closed = FreePort();
        await using var run = ExposePeer.StartCommandLine(["--server", Rendezvous.ToString(), "--control-port", Text(closed), "--local", "127.0.0.1:8080", "--public-port", Text(FreePort())]);

        Assert.Equal(ExitCodes.NoPath, await run.Run.WaitAsync(Timeout));
        var failed = Assert.Single(run.Lines);
        string reason = failed.GetProperty("reason").GetString()!;
        Assert.Equal("failed", failed.GetProperty("event").GetString());
        Assert.Contains($"127.0.0.1:{closed}: connection refused", reason);
        Assert.Contains($"the rendezvous is {Rendezvous}", reason);
    }

    [Fact]
    public async Task A_server_without_public_ports_ends_the_run_saying_so()
    {
        using var database = new TempDatabase();
        await using var plain = new PunchAppFactory(database);
        _ = plain.Services;
        var rendezvous = plain.Services.GetRequiredService<Punch.Server.Rendezvous.RendezvousEndpoint>().LocalEndPoint!;
        await using var run = ExposePeer.StartCommandLine(["--server", rendezvous.ToString(), "--local", "127.0.0.1:8080", "--public-port", Text(FreePort())]);

        Assert.Equal(ExitCodes.NoPath, await run.Run.WaitAsync(Timeout));
        var failed = Assert.Single(run.Lines);
        Assert.Equal(
            $"the server at {rendezvous} does not offer public ports (its rendezvous announced no expose control port; the operator turns them on with Expose:AllowedPorts)",
            failed.GetProperty("reason").GetString());
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
