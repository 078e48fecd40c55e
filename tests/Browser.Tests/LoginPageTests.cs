using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Punch.Server.Security;
using static Microsoft.Playwright.Assertions;

namespace Punch.Browser.Tests;

/// <summary>With an admin password: the login page keeps strangers out and lets the admin in; the Networks page sets keys.</summary>
public sealed class LoginPageTests(SecuredDashboardHost host) : IClassFixture<SecuredDashboardHost>
{
    static LoginPageTests() => SetDefaultExpectTimeout(DashboardHost.ActionTimeoutMs);

    [Fact]
    public async Task A_wrong_password_stays_out_and_the_right_one_lands_on_the_overview()
    {
        var page = await host.NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));

        await page.GetByTestId("login-password").FillAsync("not the password at all");
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("login-failed")).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?failed=true"));
        await Expect(page.GetByTestId("live-indicator")).ToHaveCountAsync(0);

        await page.GetByTestId("login-password").FillAsync(SecuredDashboardHost.Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(host.BaseAddress.ToString())}$"));
        await Expect(page.Locator("[data-testid=live-indicator][data-live=true]")).ToBeVisibleAsync();

        // Logging out ends the login: the overview asks for the password again.
        await page.GetByTestId("logout").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login\\?ReturnUrl=%2F$"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_networks_page_sets_and_removes_a_key()
    {
        await host.Peers.RegisterAsync("browser-lab", "alice");
        var page = await host.LogInAndOpenAsync("/networks");
        var keyChip = page.GetByTestId("network-key-browser-lab");
        await Expect(keyChip).ToHaveTextAsync("open");

        await Input(page, "network-name").FillAsync("browser-lab");
        await Input(page, "network-key").FillAsync("too short");
        await page.GetByTestId("network-set-key").ClickAsync();
        await Expect(page.GetByTestId("network-key-error")).ToContainTextAsync("16");

        await Input(page, "network-key").FillAsync("a key of sixteen or more");
        await page.GetByTestId("network-set-key").ClickAsync();

        await Expect(keyChip).ToHaveTextAsync("key required (set here)");
        var updater = host.App.Services.GetRequiredService<INetworkKeyUpdater>();
        Assert.Contains("browser-lab", updater.ProtectedNetworks);

        await page.GetByTestId("network-remove-key-browser-lab").ClickAsync();
        await Expect(keyChip).ToHaveTextAsync("open");
        Assert.DoesNotContain("browser-lab", updater.ProtectedNetworks);
        await page.Context.CloseAsync();
    }

    /// <summary>The input element of a MudTextField carrying the test id (on the input itself or on its wrapper).</summary>
    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;
}
