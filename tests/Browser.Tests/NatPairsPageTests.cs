using Punch.Server.Storage;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>
/// The NAT pairs page: a matrix of NAT types from the stored sessions, each cell counting its sessions
/// and how they ended, updated live as sessions happen, and a click away from that pair's sessions.
/// </summary>
public sealed class NatPairsPageTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static NatPairsPageTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    private const string Cell = "full-cone-address-restricted-cone";

    [Fact]
    public async Task A_cell_counts_its_pairs_sessions_live_and_links_to_them()
    {
        var peers = host.Peers;
        await Register(peers, "open", NatFilterings.EndpointIndependent);
        await Register(peers, "guarded", NatFilterings.AddressDependent);
        await Register(peers, "other", NatFilterings.AddressDependent);
        var page = await host.OpenLiveAsync("/nat-pairs");
        await Expect(page.GetByTestId("nat-pairs-empty")).ToBeVisibleAsync();

        var first = await peers.StartPunchingAsync("pairs", "guarded", "open");
        await peers.CompleteDirectAsync("pairs", "guarded", "open", first, elapsedMs: 30);
        await Expect(page.GetByTestId($"nat-pair-count-{Cell}")).ToHaveTextAsync("1 session");
        await Expect(page.GetByTestId($"nat-pair-outcomes-{Cell}")).ToHaveTextAsync("100 % direct · 0 % relayed · 0 % failed");
        await Expect(page.GetByTestId($"nat-pair-median-{Cell}")).ToHaveTextAsync("median to direct 30 ms");
        // The matrix is symmetric: the mirrored cell shows the same pair.
        await Expect(page.GetByTestId("nat-pair-count-address-restricted-cone-full-cone")).ToHaveTextAsync("1 session");

        var second = await peers.StartPunchingAsync("pairs", "open", "other");
        await peers.FailAsync("pairs", "open", "other", second, "no answer");
        await Expect(page.GetByTestId($"nat-pair-count-{Cell}")).ToHaveTextAsync("2 sessions");
        await Expect(page.GetByTestId($"nat-pair-outcomes-{Cell}")).ToHaveTextAsync("50 % direct · 0 % relayed · 50 % failed");
        var unrelated = await peers.StartPunchingAsync("pairs", "guarded", "other");
        await Expect(page.GetByTestId("nat-pair-count-address-restricted-cone-address-restricted-cone")).ToHaveTextAsync("1 session");
        await DashboardHost.AssertNotReloadedAsync(page);

        await page.GetByTestId($"nat-pair-link-{Cell}").ClickAsync();
        await Expect(page.GetByTestId("sessions-nat-filter")).ToContainTextAsync("full cone ↔ address-restricted cone");
        await Expect(page.GetByTestId($"session-row-{first}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"session-row-{second}")).ToBeVisibleAsync();
        await Expect(page.GetByTestId($"session-row-{unrelated}")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    private static async Task Register(Punch.Tests.Shared.SimulatedPeers peers, string name, string filtering)
    {
        await peers.RegisterAsync("pairs", name, NatMappings.EndpointIndependent);
        await peers.ReportNatBehaviourAsync("pairs", name, filtering, hairpinning: null, portPreserved: null);
    }
}
