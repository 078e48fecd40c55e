using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Punch.Tests.Shared;

namespace Punch.Browser.Tests;

/// <summary>
/// The real app on a real loopback port (Kestrel, not the in-memory test server) plus Debian's
/// chromium driven by Playwright. One per test class; each test opens its own browser context.
/// </summary>
public class DashboardHost : IAsyncLifetime
{
    /// <summary>Every Playwright wait and action gives up after this.</summary>
    public const float ActionTimeoutMs = 15_000;
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly TempDatabase _database = new();
    private PunchAppFactory? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = default!;

    public SimulatedPeers Peers { get; private set; } = default!;

    public PunchAppFactory App => _app ?? throw new InvalidOperationException("Not started.");

    /// <summary>Extra configuration of the server under test.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PUNCH_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public virtual async Task InitializeAsync()
    {
        // The browser is Debian's; Playwright must never fetch one of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"No chromium at {ChromiumPath}: install Debian's chromium (apt-get install chromium) or set PUNCH_CHROMIUM.");
        }

        _app = new PunchAppFactory(_database, Settings);
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        await Task.Run(_app.StartServer).WaitAsync(StartLimit);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseAddress = new Uri(addresses.Single());
        Peers = new SimulatedPeers(_app.Sink);

        _playwright = await Playwright.CreateAsync().WaitAsync(StartLimit);
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Timeout = ActionTimeoutMs * 2,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        }).WaitAsync(StartLimit);
    }

    /// <summary>A fresh page on the given dashboard path, once its live connection is up.</summary>
    public async Task<IPage> OpenLiveAsync(string path)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(path);
        await page.Locator("[data-testid=live-indicator][data-live=true]").WaitForAsync();
        // Marks this document: if the page were reloaded, the mark would be gone.
        await page.EvaluateAsync("() => { window.punchTestMark = 'same-document'; }");
        return page;
    }

    /// <summary>A fresh page in its own browser context (no cookies), not yet navigated.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(ActionTimeoutMs);
        context.SetDefaultNavigationTimeout(ActionTimeoutMs);
        return await context.NewPageAsync();
    }

    public static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal("same-document", await page.EvaluateAsync<string?>("() => window.punchTestMark ?? null"));

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync().WaitAsync(StartLimit);
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync().AsTask().WaitAsync(StartLimit);
        }

        _database.Dispose();
    }
}
