using Punch.Server.Security;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Security;

public sealed class PasswordHashTests
{
    [Fact]
    public void A_hash_verifies_its_password_only()
    {
        var hash = PasswordHash.Create("correct horse battery staple", PasswordHash.MinIterations);

        Assert.StartsWith("PBKDF2-SHA256$100000$", hash);
        Assert.True(PasswordHash.Verify("correct horse battery staple", hash));
        Assert.False(PasswordHash.Verify("correct horse battery stapler", hash));
        Assert.NotEqual(hash, PasswordHash.Create("correct horse battery staple", PasswordHash.MinIterations));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("PBKDF2-SHA256$10$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("PBKDF2-SHA256$100000$not base64!$AAAA")]
    [InlineData("PBKDF2-SHA256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("SHA1$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void Malformed_hashes_are_refused(string text)
    {
        Assert.False(PasswordHash.IsWellFormed(text, out var problem));
        Assert.NotEmpty(problem);
        Assert.False(PasswordHash.Verify("anything", text));
    }

    [Theory]
    [InlineData("Dashboard:AdminPassword", "short")]
    [InlineData("Dashboard:AdminPasswordHash", "not-a-hash")]
    [InlineData("Dashboard:TokenLifetime", "00:00:01")]
    [InlineData("Dashboard:RateLimit:Api:PermitLimit", "0")]
    [InlineData("Dashboard:RateLimit:Login:Window", "00:00:00")]
    public async Task Bad_access_settings_fail_the_start_naming_the_key(string key, string value)
    {
        using var database = new TempDatabase();
        await using var app = new PunchAppFactory(database, new Dictionary<string, string?> { [key] = value });

        string error = await app.StartupFailureAsync();

        Assert.Contains(key, error.ToString());
    }

    [Fact]
    public void Plain_and_hashed_passwords_together_are_refused()
    {
        var options = new AdminAccessOptions { AdminPassword = "long enough password", AdminPasswordHash = PasswordHash.Create("x-long-enough", PasswordHash.MinIterations) };

        var result = new AdminAccessOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("only one", result.FailureMessage);
    }

    [Fact]
    public void A_configured_hash_checks_the_password()
    {
        var options = new AdminAccessOptions { AdminPasswordHash = PasswordHash.Create("correct horse battery staple", PasswordHash.MinIterations) };

        Assert.True(options.LoginRequired);
        Assert.True(options.IsAdminPassword("correct horse battery staple"));
        Assert.False(options.IsAdminPassword("wrong"));
        Assert.False(options.IsAdminPassword(null));
    }
}
