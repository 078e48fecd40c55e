using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>The Overview says how big the event log is, what retention pruned and what a full queue dropped.</summary>
public sealed partial class EventLogCardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static EventLogCardTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task The_overview_shows_events_stored_pruned_and_dropped()
    {
        var page = await host.OpenLiveAsync("/");

        await host.Peers.RegisterAsync("log", "kim");

        var stored = page.GetByTestId("stat-event-log");
        await Expect(stored).ToHaveTextAsync(StoredCount());
        // The card around the number: pruning (the pruner runs once at start) and the drop count.
        var card = stored.Locator("..");
        await Expect(card).ToContainTextAsync("pruned (last run");
        await Expect(card).ToContainTextAsync("dropped, queue full");
        await page.Context.CloseAsync();
    }

    [GeneratedRegex(@"^[1-9]\d* events$")]
    private static partial Regex StoredCount();
}
