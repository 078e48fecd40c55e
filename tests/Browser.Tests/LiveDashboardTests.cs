using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>The dashboard updates in the open browser as peers register and connect, without a reload.</summary>
public sealed class LiveDashboardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static LiveDashboardTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task A_peer_that_registers_appears_on_the_open_peers_page()
    {
        var page = await host.OpenLiveAsync("/peers");
        var row = page.GetByTestId("peer-row-live-erin");
        await Expect(row).ToHaveCountAsync(0);

        await host.Peers.RegisterAsync("live", "erin");

        await Expect(row).ToBeVisibleAsync();
        await Expect(page.GetByTestId("peer-online-live-erin")).ToHaveTextAsync("online");
        await Expect(page.GetByTestId("peer-endpoint-live-erin")).ToContainTextAsync("203.0.113.");
        await DashboardHost.AssertNotReloadedAsync(page);

        await host.Peers.UnregisterAsync("live", "erin");
        await Expect(page.GetByTestId("peer-online-live-erin")).ToHaveTextAsync("offline");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_session_turns_direct_on_the_open_sessions_page()
    {
        await host.Peers.RegisterAsync("live", "frank");
        await host.Peers.RegisterAsync("live", "grace");
        var page = await host.OpenLiveAsync("/sessions");

        var sessionId = await host.Peers.StartPunchingAsync("live", "frank", "grace");
        var state = page.GetByTestId($"session-state-{sessionId}");
        await Expect(state).ToHaveTextAsync("Punching");

        await host.Peers.CompleteDirectAsync("live", "frank", "grace", sessionId);
        await Expect(state).ToHaveTextAsync("Direct");
        await Expect(page.GetByTestId($"session-path-{sessionId}")).ToHaveTextAsync("direct");
        await Expect(page.GetByTestId($"session-ttc-{sessionId}")).ToHaveTextAsync("42.5 ms");
        await DashboardHost.AssertNotReloadedAsync(page);

        // The row leads to the session's own page with its timeline.
        await page.GetByTestId($"session-link-{sessionId}").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/sessions/{sessionId}$"));
        await Expect(page.GetByTestId("session-detail-state")).ToHaveTextAsync("Direct");
        await Expect(page.Locator("[data-testid^=session-event-]")).ToHaveCountAsync(7);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_open_session_page_follows_the_session_to_its_end()
    {
        await host.Peers.RegisterAsync("live", "heidi");
        await host.Peers.RegisterAsync("live", "ivan");
        var sessionId = await host.Peers.StartPunchingAsync("live", "heidi", "ivan");
        var page = await host.OpenLiveAsync($"/sessions/{sessionId}");
        await Expect(page.GetByTestId("session-detail-state")).ToHaveTextAsync("Punching");

        await host.Peers.FailAsync("live", "heidi", "ivan", sessionId, "no response from ivan");

        await Expect(page.GetByTestId("session-detail-state")).ToHaveTextAsync("Failed");
        await Expect(page.GetByTestId("session-detail-failure")).ToHaveTextAsync("no response from ivan");
        await Expect(page.Locator("[data-testid^=session-event-]")).ToHaveCountAsync(4);
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }
}
