using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Expose;
using Punch.Core.Stun;
using Punch.Server.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>Peers that crash, restart, stop, hang or cannot reach their service: the server ends each cleanly and keeps nothing behind.</summary>
public sealed class ExposeLifecycleTests : ExposeHost
{
    [Fact]
    public async Task A_killed_control_connection_closes_the_public_port_at_once_and_its_visitors()
    {
        int port = FreePort();
        var (control, answer) = await RawControlClient.RegisterAsync(Control, "crash", port);
        using var cleanup = control;
        control.KeepAlive();
        Assert.True(ExposeRegisterResponse.TryRead(answer.Span, out _));
        using var visitor = await VisitAsync(port);
        await control.ReadOpenAsync();

        control.Reset();

        await Punch.Tests.Shared.Eventually.WaitForAsync(() => IsRefusedAsync(port), refused => refused, "the public port closed");
        Assert.Equal(0, await ReadEndAsync(visitor));
        // The listener closes first, then the service leaves the registry the dashboard reads.
        await Punch.Tests.Shared.Eventually.WaitForAsync(() => Snapshot.Services.Count, count => count == 0, "the service gone from the view");
        await WaitForNoVisitorsAsync();
        await EventCountAsync("Unexposed", "crash");
    }

    [Fact]
    public async Task A_restarted_peer_takes_its_port_again()
    {
        var local = StartLocal(LocalService.Mode.Echo);
        int port = FreePort();
        var (crashed, _) = await RawControlClient.RegisterAsync(Control, "web", port);
        crashed.Reset();
        crashed.Dispose();
        // The restarted process has no secret of the old registration, so the port comes back once the server saw the reset (at once, on a crash).
        await Punch.Tests.Shared.Eventually.WaitForAsync(() => Snapshot.Services.Count, n => n == 0, "the crashed registration gone");

        await ExposeAsync("web", local.EndPoint, port);

        await AssertEchoesAsync(port);
    }

    [Fact]
    public async Task Stopping_the_peer_unexposes_and_closes_the_port()
    {
        int port = FreePort();
        var peer = await ExposeAsync("web", StartLocal(LocalService.Mode.Echo).EndPoint, port);

        Assert.Equal(0, await peer.StopAsync());

        Assert.Equal("stopped; the server closes the public port", (await peer.WaitForLineAsync("closed")).GetProperty("reason").GetString());
        await Punch.Tests.Shared.Eventually.WaitForAsync(() => IsRefusedAsync(port), refused => refused, "the public port closed");
        await Punch.Tests.Shared.Eventually.WaitForAsync(() => Snapshot.Services.Count, n => n == 0, "no service left");
        await EventCountAsync("Unexposed", "web");
    }

    [Fact]
    public async Task A_peer_whose_control_connection_drops_connects_again_and_serves()
    {
        var (peer, port) = await ExposeLocalAsync("web", LocalService.Mode.Echo);

        App.Services.GetRequiredService<ExposeRegistry>().Services.Single().Stop("the test dropped it");

        await peer.WaitForLineAsync("warning");
        await peer.WaitForExposedAsync(count: 2);
        await AssertEchoesAsync(port);
    }

    [Fact]
    public async Task A_visitor_the_peer_never_attaches_is_closed_after_the_attach_timeout()
    {
        int port = FreePort();
        var (control, _) = await RawControlClient.RegisterAsync(Control, "lazy", port);
        using var cleanup = control;
        control.KeepAlive();
        using var visitor = await VisitAsync(port);
        var open = await control.ReadOpenAsync();

        // A data connection with the wrong token claims nothing: the server closes it.
        using (var forged = new TcpClient())
        {
            await forged.ConnectAsync(Control).WaitAsync(Timeout);
            await StunStream.WriteMessageAsync(forged.GetStream(), new ExposeAttachIndication(TransactionId.NewRandom(), open.ConnectionId, open.Token + 1).WriteTo, CancellationToken.None);
            Assert.Equal(0, await ReadEndAsync(forged));
        }

        Assert.Equal(0, await ReadEndAsync(visitor));
        await WaitForNoVisitorsAsync();
        await Punch.Tests.Shared.Eventually.WaitForAsync(
            () => Database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'VisitorClosed' AND Reason LIKE '%did not attach a data connection within 5 s%'"), n => n == 1, "the attach timeout's VisitorClosed event");
    }

    [Fact]
    public async Task A_peer_without_keepalives_is_unexposed_after_the_control_timeout()
    {
        int port = FreePort();
        var (silent, _) = await RawControlClient.RegisterAsync(Control, "silent", port);
        using var cleanup = silent;

        await Punch.Tests.Shared.Eventually.WaitForAsync(() => IsRefusedAsync(port), refused => refused, "the public port closed");
        await Punch.Tests.Shared.Eventually.WaitForAsync(
            () => Database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Unexposed' AND Reason LIKE '%keepalives missing%'"), n => n == 1, "Unexposed for missing keepalives");
    }

    [Fact]
    public async Task A_visitor_the_local_service_refuses_is_closed_at_once_with_the_reason()
    {
        using var refusing = Punch.Tests.Shared.LoopbackPorts.RefusingTcpPort(out var refused);
        int closedPort = refused.Port;
        int port = FreePort();
        var peer = await ExposeAsync("down", refused, port);

        using var visitor = await VisitAsync(port);
        // Not the attach timeout: the peer says at once that its service refused (the event's reason below).
        Assert.Equal(0, await ReadEndAsync(visitor));

        var closed = await peer.WaitForLineAsync("visitor-closed");
        Assert.Contains($"the local service 127.0.0.1:{closedPort} cannot be reached: connection refused", closed.GetProperty("reason").GetString());
        await Punch.Tests.Shared.Eventually.WaitForAsync(
            () => Database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'VisitorClosed' AND Reason LIKE '%could not open its local service%connection refused%'"), n => n == 1, "VisitorClosed with the peer's reason");
        await WaitForNoVisitorsAsync();
    }

    /// <summary>Reads until the server ends the connection: 0 for a clean close, also 0 for a reset (both mean "nothing left").</summary>
    private static async Task<int> ReadEndAsync(TcpClient client)
    {
        try
        {
            var buffer = new byte[1024];
            int total = 0;
            while (true)
            {
                int read = await client.GetStream().ReadAsync(buffer).AsTask().WaitAsync(Timeout);
                if (read == 0)
                {
                    return total;
                }

                total += read;
            }
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
