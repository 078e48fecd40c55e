using Microsoft.Extensions.Configuration;
using Punch.Server.Security;

namespace Punch.Server.Tests.Security;

public sealed class LoopbackBindingTests
{
    [Theory]
    [InlineData("http://+:5080", true)]
    [InlineData("http://*:80", true)]
    [InlineData("http://0.0.0.0:5080", true)]
    [InlineData("http://[::]:5080", true)]
    [InlineData("https://203.0.113.4:443", true)]
    [InlineData("http://punch.example.org:8080", true)]
    [InlineData("http://localhost:5080", false)]
    [InlineData("http://127.0.0.1:5080", false)]
    [InlineData("http://127.0.0.2:5080", false)]
    [InlineData("http://[::1]:5080", false)]
    [InlineData("http://unix:/run/punch.sock", false)]
    public void Every_address_that_is_not_loopback_is_reachable_by_others(string configured, bool reachable) =>
        Assert.Equal(reachable, LoopbackBinding.NotLoopback([configured]).Count == 1);

    [Fact]
    public void Specific_addresses_become_allowed_hosts_wildcards_do_not() =>
        Assert.Equal(["192.168.1.5", "punch.lan"],
            LoopbackBinding.SpecificHosts(["http://0.0.0.0:5080", "http://192.168.1.5:5080", "http://[::]:1", "http://+:2", "http://punch.lan:3", "http://localhost:4"]));

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Kestrel_endpoints_win_over_urls_as_in_kestrel()
    {
        var configuration = Configuration(new()
        {
            ["urls"] = "http://+:5080",
            ["Kestrel:Endpoints:Local:Url"] = "http://127.0.0.1:7000",
            ["Kestrel:Endpoints:Https:Url"] = "https://localhost:7001",
        });

        Assert.Equal(["https://localhost:7001", "http://127.0.0.1:7000"], LoopbackBinding.Configured(configuration));
        Assert.True(LoopbackBinding.AnyHttps(LoopbackBinding.Configured(configuration)));
    }

    [Fact]
    public void Container_ports_count_when_no_urls_are_given()
    {
        var configuration = Configuration(new() { ["http_ports"] = "8080" });

        Assert.Equal(["http://*:8080"], LoopbackBinding.Configured(configuration));
        Assert.False(LoopbackBinding.AnyHttps(LoopbackBinding.Configured(configuration)));
    }

    [Fact]
    public void Nothing_configured_is_kestrels_loopback_default() =>
        Assert.Empty(LoopbackBinding.NotLoopback(LoopbackBinding.Configured(Configuration(new()))));
}
