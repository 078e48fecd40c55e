using Punch.Core.Punching;
using Punch.Server.Storage;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>The open dashboard shows each peer's NAT mapping, each session's NAT pair, candidates and failure reason, without a reload.</summary>
public sealed class NatDashboardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    static NatDashboardTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task A_peers_nat_chip_turns_from_unknown_to_symmetric_when_it_reports_its_mapping()
    {
        var page = await host.OpenLiveAsync("/peers");
        var chip = page.GetByTestId("peer-nat-nat-judy");

        // As real peers do: register first, measure, then report the mapping in a refresh.
        await host.Peers.RegisterAsync("nat", "judy");
        await Expect(chip).ToHaveTextAsync("unknown");
        await host.Peers.ReportNatMappingAsync("nat", "judy", NatMappings.EndpointDependent);
        await Expect(chip).ToHaveTextAsync("symmetric");
        // A later refresh without a mapping keeps what was measured.
        await host.Peers.ReportNatMappingAsync("nat", "judy", natMapping: null);
        await host.Peers.RegisterAsync("nat", "kurt", NatMappings.EndpointIndependent);
        await Expect(page.GetByTestId("peer-nat-nat-kurt")).ToHaveTextAsync("cone");
        await Expect(chip).ToHaveTextAsync("symmetric");

        // Filtering turns a cone into its kind; hairpinning and port preservation show beside it.
        var kurtExtras = page.GetByTestId("peer-nat-extras-nat-kurt");
        await Expect(kurtExtras).ToHaveCountAsync(0);
        await host.Peers.ReportNatBehaviourAsync("nat", "kurt", NatFilterings.AddressAndPortDependent, hairpinning: false, portPreserved: true);
        await Expect(page.GetByTestId("peer-nat-nat-kurt")).ToHaveTextAsync(NatTypes.PortRestrictedCone);
        await Expect(kurtExtras).ToHaveTextAsync("no hairpin · port preserved");
        await host.Peers.ReportNatBehaviourAsync("nat", "judy", NatFilterings.EndpointIndependent, hairpinning: true, portPreserved: null);
        await Expect(page.GetByTestId("peer-nat-extras-nat-judy")).ToHaveTextAsync("hairpin");
        await Expect(chip).ToHaveTextAsync("symmetric");
        await DashboardHost.AssertNotReloadedAsync(page);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_failed_sessions_nat_pair_and_reason_show_on_the_sessions_and_session_pages()
    {
        await host.Peers.RegisterAsync("nat", "lena", NatMappings.EndpointDependent);
        await host.Peers.RegisterAsync("nat", "mick", NatMappings.EndpointDependent);
        var page = await host.OpenLiveAsync("/sessions");

        var sessionId = await host.Peers.StartPunchingAsync("nat", "lena", "mick");
        await Expect(page.GetByTestId($"session-nat-{sessionId}")).ToHaveTextAsync("symmetric ↔ symmetric");
        await Expect(page.GetByTestId($"session-reason-{sessionId}")).ToHaveCountAsync(0);
        await host.Peers.FailAsync("nat", "lena", "mick", sessionId, PunchStrategies.ImpossibleReason);

        await Expect(page.GetByTestId($"session-state-{sessionId}")).ToHaveTextAsync("Failed");
        await Expect(page.GetByTestId($"session-reason-{sessionId}")).ToHaveTextAsync(PunchStrategies.ImpossibleReason);
        await DashboardHost.AssertNotReloadedAsync(page);

        await page.GetByTestId($"session-link-{sessionId}").ClickAsync();
        await Expect(page.GetByTestId("session-detail-failure")).ToHaveTextAsync(PunchStrategies.ImpossibleReason);
        await Expect(page.GetByTestId("session-detail-nat")).ToHaveTextAsync("symmetric lena ↔ symmetric mick");
        await Expect(page.GetByTestId("session-detail-nat-a")).ToHaveTextAsync(NatTypes.Symmetric);
        await Expect(page.GetByTestId("session-detail-nat-b")).ToHaveTextAsync(NatTypes.Symmetric);
        var candidates = page.GetByTestId("session-detail-candidates");
        await Expect(candidates.GetByTestId("session-candidates-lena")).ToContainTextAsync("offered to mick");
        await Expect(candidates.GetByTestId("session-candidates-lena")).ToContainTextAsync("srflx 203.0.113.");
        await Expect(candidates.GetByTestId("session-candidates-mick")).ToContainTextAsync("host 198.18.");
        await page.Context.CloseAsync();
    }
}
