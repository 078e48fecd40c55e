using Punch.Core.Punching;
using Punch.Server.Storage;

namespace Punch.Browser.Tests;

/// <summary>
/// Renders every page with some data and saves a full-page screenshot (default /tmp/punch-*.png,
/// or PUNCH_SCREENSHOT_DIR), for a person to look at. Asserts only that MudBlazor's styles applied.
/// </summary>
public sealed class ScreenshotTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    private static string ScreenshotFolder =>
        Environment.GetEnvironmentVariable("PUNCH_SCREENSHOT_DIR") is { Length: > 0 } folder ? folder : Path.GetTempPath();

    [Fact]
    public async Task Every_page_renders_styled_with_data()
    {
        var peers = host.Peers;
        // One of each NAT kind, as the lab builds them: cone, symmetric, and one not measured yet.
        foreach (var (name, mapping) in new (string Name, string? Mapping)[] { ("alice", NatMappings.EndpointIndependent), ("bob", NatMappings.EndpointDependent), ("carol", NatMappings.EndpointDependent), ("dave", null) })
        {
            await peers.RegisterAsync("home", name, mapping);
        }

        await peers.RegisterAsync("office", "printer", NatMappings.EndpointDependent);
        var direct = await peers.ConnectDirectAsync("home", "alice", "bob");
        var failed = await peers.StartPunchingAsync("home", "carol", "bob");
        await peers.FailAsync("home", "carol", "bob", failed, PunchStrategies.ImpossibleReason);
        await peers.StartPunchingAsync("home", "dave", "alice");
        await peers.UnregisterAsync("home", "dave");

        foreach (var (path, name, shown) in new[]
        {
            ("/", "overview", "alice"), ("/peers", "peers", "alice"), ("/sessions", "sessions", "alice"),
            ($"/sessions/{direct}", "session", "alice"), ($"/sessions/{failed}", "session-failed", "carol"),
            ("/nat-pairs", "nat-pairs", "symmetric"), ("/", "overview-charts", "Sessions by outcome"),
        })
        {
            var page = await host.OpenLiveAsync(path);
            // Wait for the data to be on the page, not just the frame.
            await page.GetByText(shown).First.WaitForAsync();
            // MudBlazor's stylesheet sets the app bar's position; unstyled markup would be static.
            Assert.Equal("fixed", await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.mud-appbar')).position"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"punch-{name}.png"), FullPage = true });
            await page.Context.CloseAsync();
        }
    }
}
