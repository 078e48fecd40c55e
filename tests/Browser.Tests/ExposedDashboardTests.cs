using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Expose;
using Punch.Server.Rendezvous;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>A real <c>punch expose</c> in-process and a real visitor, watched on the open Exposed page.</summary>
public sealed class ExposedDashboardTests(ExposeDashboardHost host) : IClassFixture<ExposeDashboardHost>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    static ExposedDashboardTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task A_live_service_and_its_visitor_appear_and_the_service_goes_when_the_peer_stops()
    {
        var page = await host.OpenLiveAsync("/exposed");
        await Expect(page.GetByTestId("exposed-empty")).ToBeVisibleAsync();
        using var local = new TcpListener(IPAddress.Loopback, 0);
        local.Start();
        int publicPort = Punch.Tests.Shared.LoopbackPorts.FreeTcpPort();
        using var stop = new CancellationTokenSource(Limit);
        using var output = new StringWriter();
        var client = new ExposeClient(new ExposeRunOptions
        {
            Server = host.App.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!,
            Identity = new PeerIdentity(PeerIdentity.DefaultNetwork, "web"),
            LocalHost = "127.0.0.1",
            LocalPort = ((IPEndPoint)local.LocalEndpoint).Port,
            PublicPort = (ushort)publicPort,
        }, new ExposeReporter(TextWriter.Synchronized(output), json: true), TimeProvider.System);
        var run = Task.Run(() => client.RunAsync(stop.Token));

        await Expect(page.GetByTestId($"exposed-row-{publicPort}")).ToContainTextAsync("web");
        using (var visitor = new TcpClient())
        {
            await visitor.ConnectAsync(IPAddress.Loopback, publicPort).WaitAsync(Limit);
            using var served = await local.AcceptSocketAsync().WaitAsync(Limit);
            await Expect(page.GetByTestId($"exposed-connections-{publicPort}")).ToContainTextAsync("1 / 1");
            // Both ends close: a TCP splice keeps a half-closed connection open until the other side closes too.
        }

        await Expect(page.GetByTestId($"exposed-connections-{publicPort}")).ToContainTextAsync("0 / 1");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(Limit));
        await Expect(page.GetByTestId("exposed-empty")).ToBeVisibleAsync();
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }
}
