using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>
/// The Overview's charts: sessions by outcome and the time to a direct path from the stored sessions,
/// datagrams from the server's counters; each draws and follows what happens without a reload.
/// </summary>
public sealed class ActivityChartsTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static ActivityChartsTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task Session_charts_draw_the_stored_sessions_and_follow_new_ones_live()
    {
        var page = await host.OpenLiveAsync("/");
        var totals = page.GetByTestId("chart-sessions-totals");
        await Expect(totals).ToHaveTextAsync("0 direct · 0 relayed · 0 failed");

        await host.Peers.RegisterAsync("charts", "ann", NatMappings.EndpointIndependent);
        await host.Peers.RegisterAsync("charts", "ben", NatMappings.EndpointDependent);
        var direct = await host.Peers.StartPunchingAsync("charts", "ann", "ben");
        await host.Peers.CompleteDirectAsync("charts", "ann", "ben", direct, elapsedMs: 120);
        var failed = await host.Peers.StartPunchingAsync("charts", "ben", "ann");
        await host.Peers.FailAsync("charts", "ben", "ann", failed, "no answer");

        await Expect(totals).ToHaveTextAsync("1 direct · 0 relayed · 1 failed");
        await Expect(page.GetByTestId("chart-time-to-direct-percentiles")).ToHaveTextAsync("p50 120 ms · p90 120 ms · p99 120 ms");
        // MudBlazor draws SVG: a bar per bucket with sessions in it.
        await Expect(page.GetByTestId("chart-sessions").Locator("svg").First).ToBeVisibleAsync();
        Assert.True(await page.GetByTestId("chart-time-to-direct").Locator("svg rect, svg path").CountAsync() > 0);

        await page.GetByText("last day").ClickAsync();
        await Expect(totals).ToHaveTextAsync("1 direct · 0 relayed · 1 failed");
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_datagram_chart_counts_real_binding_requests()
    {
        var page = await host.OpenLiveAsync("/");
        var totals = page.GetByTestId("chart-datagrams-totals");
        await Expect(totals).ToContainTextAsync(" in · ");
        long before = long.Parse((await totals.TextContentAsync())!.Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        var server = host.App.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var buffer = new byte[256];
        for (int i = 0; i < 5; i++)
        {
            int length = new BindingRequest(TransactionId.NewRandom()).WriteTo(buffer);
            await socket.SendToAsync(buffer.AsMemory(0, length), server);
        }

        await Expect(totals).ToContainTextAsync($"{before + 5} in");
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }
}
