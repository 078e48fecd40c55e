using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>
/// The Peers page shows one page of peers, read and searched on the server: with more peers than a
/// page holds, the pager moves through them and the search box narrows them, in the open page.
/// </summary>
public sealed class PeersPagingTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private const int Registered = 60;

    static PeersPagingTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    private static ILocator Rows(IPage page) => page.Locator("[data-testid^=peer-row-]");

    private async Task RegisterAsync()
    {
        for (int i = 0; i < Registered; i++)
        {
            await host.Peers.RegisterAsync("paging", $"n-{i:00}");
        }
    }

    [Fact]
    public async Task The_pager_and_the_search_box_move_through_more_peers_than_a_page_holds()
    {
        await RegisterAsync();
        var page = await host.OpenLiveAsync("/peers");

        await Expect(page.GetByTestId("peers-total")).ToHaveTextAsync($"1–50 of {Registered}");
        await Expect(Rows(page)).ToHaveCountAsync(50);
        await Expect(page.GetByTestId("peer-row-paging-n-00")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("peer-row-paging-n-55")).ToHaveCountAsync(0);

        // MudPagination's page buttons carry their number as text (their accessible name differs between versions).
        await page.GetByTestId("peers-pager").Locator("button", new() { HasTextRegex = new Regex(@"^\s*2\s*$") }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/peers\?page=2$"));
        await Expect(Rows(page)).ToHaveCountAsync(Registered - 50);
        await Expect(page.GetByTestId("peer-row-paging-n-55")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("peer-row-paging-n-00")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("peers-total")).ToHaveTextAsync($"51–{Registered} of {Registered}");

        // A search starts again at its first page.
        await page.Locator("input[data-testid=peers-search], [data-testid=peers-search] input").First.FillAsync("n-4");
        await Expect(page).ToHaveURLAsync(new Regex(@"/peers\?search=n-4$"));
        await Expect(Rows(page)).ToHaveCountAsync(10);
        await Expect(page.GetByTestId("peer-row-paging-n-41")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("peers-total")).ToHaveTextAsync("1–10 of 10");
        await Expect(page.GetByTestId("peers-pager")).ToHaveCountAsync(0);
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_page_and_a_search_in_the_address_are_rendered_by_the_server()
    {
        await RegisterAsync();
        var page = await host.NewPageAsync();

        // Scripts off: what shows is the server's prerendered HTML alone.
        await page.Context.RouteAsync("**/*.js", route => route.AbortAsync());
        await page.GotoAsync("/peers?page=2");
        await Expect(Rows(page)).ToHaveCountAsync(Registered - 50);
        await Expect(page.GetByTestId("peer-row-paging-n-59")).ToBeVisibleAsync();

        await page.GotoAsync("/peers?search=N-07");
        await Expect(Rows(page)).ToHaveCountAsync(1);
        await Expect(page.GetByTestId("peer-row-paging-n-07")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
