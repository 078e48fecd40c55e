using Microsoft.Extensions.DependencyInjection;
using Punch.Peer.Output;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>Real peers (the punch peer in-process, real UDP on loopback) watched on the open dashboard.</summary>
public sealed class RealPeersDashboardTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    static RealPeersDashboardTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task Real_peers_appear_on_the_open_pages_and_their_session_turns_direct()
    {
        var server = host.App.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
        var peersPage = await host.OpenLiveAsync("/peers");
        var sessionsPage = await peersPage.Context.NewPageAsync();
        await sessionsPage.GotoAsync("/sessions");
        await sessionsPage.Locator("[data-testid=live-indicator][data-live=true]").WaitForAsync();
        await sessionsPage.EvaluateAsync("() => { window.punchTestMark = 'same-document'; }");
        await Expect(peersPage.GetByTestId("peer-row-default-web")).ToHaveCountAsync(0);

        using var stop = new CancellationTokenSource(Limit);
        var listener = PeerUnderTest.Fast(server, "web", peer: null, linger: TimeSpan.FromMilliseconds(500));
        var listening = listener.ListenAsync(stop.Token);
        await listener.WaitForAsync<RegisteredEvent>();

        await Expect(peersPage.GetByTestId("peer-row-default-web")).ToBeVisibleAsync();
        await Expect(peersPage.GetByTestId("peer-online-default-web")).ToHaveTextAsync("online");
        await Expect(peersPage.GetByTestId("peer-endpoint-default-web")).ToContainTextAsync("127.0.0.1:");
        await Expect(peersPage.GetByTestId("peer-families-default-web")).ToHaveTextAsync("v4");

        var visitor = PeerUnderTest.Fast(server, "laptop", peer: "web", count: 3, linger: TimeSpan.FromMilliseconds(500));
        Assert.Equal(0, await visitor.ConnectAsync().WaitAsync(Limit));
        var path = visitor.All<PathEvent>().Last(p => p.Kind == Punch.Core.Protocol.PathKind.Direct);

        var state = sessionsPage.GetByTestId($"session-state-{path.SessionId}");
        // The visitor is done (3 pongs) by now, so the session may already be Closed after being Direct.
        await Expect(state).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(Direct|Closed)$"));
        await Expect(sessionsPage.GetByTestId($"session-path-{path.SessionId}")).ToHaveTextAsync("direct");
        var sessionPage = await peersPage.Context.NewPageAsync();
        await sessionPage.GotoAsync($"/sessions/{path.SessionId}");
        // Which kind each side's path went to, by the name Candidate.KindName gives it, and its family.
        await Expect(sessionPage.GetByTestId("session-candidate-won-laptop")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(host|srflx|prflx) v4$"));
        await Expect(sessionPage.GetByTestId("session-candidates-tried")).ToContainTextAsync("srflx v4");
        await DashboardHost.AssertNotReloadedAsync(peersPage);
        await DashboardHost.AssertNotReloadedAsync(sessionsPage);

        await stop.CancelAsync();
        Assert.Equal(0, await listening.WaitAsync(Limit));
        // The listener said goodbye on the way out: the open page shows it offline.
        await Expect(peersPage.GetByTestId("peer-online-default-web")).ToHaveTextAsync("offline");
        await peersPage.Context.CloseAsync();
    }
}
