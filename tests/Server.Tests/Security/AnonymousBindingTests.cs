using Punch.Server.Security;
using Punch.Server.Tests.CrashSafety;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Security;

/// <summary>An open dashboard on an address others can reach is a choice the operator must write down, or a refused start.</summary>
public sealed class AnonymousBindingTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("urls", "http://0.0.0.0:0")]
    [InlineData("urls", "http://127.0.0.1:0;http://+:0")]
    [InlineData("http_ports", "0")]
    [InlineData("Kestrel:Endpoints:Public:Url", "http://0.0.0.0:0")]
    public async Task Without_a_password_a_public_address_fails_the_start_naming_the_keys(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["urls"] = null, [key] = value });

        string error = await app.StartupFailureAsync();

        Assert.Contains(AdminAccessOptions.PasswordKey, error);
        Assert.Contains(AdminAccessOptions.AllowAnonymousKey, error);
    }

    [Theory]
    [InlineData(AdminAccessOptions.AllowAnonymousKey, "true")]
    [InlineData(AdminAccessOptions.PasswordKey, SecuredApp.Password)]
    public async Task A_password_or_an_explicit_anonymous_choice_lets_it_start(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0", [key] = value });

        using var client = app.CreateClient();
        using var health = await client.GetAsync("/healthz").WaitAsync(SecuredApp.Limit);

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Loopback_addresses_need_neither()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["urls"] = "http://localhost:0;http://127.0.0.1:0;http://[::1]:0" });

        using var client = app.CreateClient();
        using var health = await client.GetAsync("/healthz").WaitAsync(SecuredApp.Limit);

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task The_published_server_refuses_with_one_line_and_exit_code_1()
    {
        var (exitCode, output) = await ServerProcess.RunToRefusalAsync(_database.Path, "--urls", "http://0.0.0.0:0");

        // Log lines of other components may come first; the refusal itself is one line, without a stack trace.
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(exitCode == 1, $"exit code {exitCode}; output:\n{output}");
        var refusal = Assert.Single(lines, line => line.Contains(AdminAccessOptions.PasswordKey, StringComparison.Ordinal));
        Assert.Contains(AdminAccessOptions.AllowAnonymousKey, refusal);
        Assert.DoesNotContain(lines, line => line.StartsWith("at ", StringComparison.Ordinal));
    }
}
