using Microsoft.Playwright;
using Punch.Server.Security;

namespace Punch.Browser.Tests;

/// <summary>The dashboard with an admin password: every page asks for a login first.</summary>
public sealed class SecuredDashboardHost : DashboardHost
{
    public const string Password = "correct horse battery staple";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [AdminAccessOptions.PasswordKey] = Password,
    };

    /// <summary>A fresh browser context, logged in through the login page, on the given path once it is live.</summary>
    public async Task<IPage> LogInAndOpenAsync(string path)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(path);
        await page.GetByTestId("login-password").FillAsync(Password);
        await page.GetByTestId("login-submit").ClickAsync();
        await page.Locator("[data-testid=live-indicator][data-live=true]").WaitForAsync();
        return page;
    }
}
