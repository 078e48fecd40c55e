using Microsoft.Extensions.Configuration;
using Punch.Server.Security;

namespace Punch.Server.Tests.Security;

public sealed class LoopbackBindingTests
{
    [Theory]
    [InlineData("http://+:5080", "http://localhost:5080")]
    [InlineData("http://*:80", "http://localhost:80")]
    [InlineData("http://0.0.0.0:5080", "http://localhost:5080")]
    [InlineData("http://[::]:5080", "http://localhost:5080")]
    [InlineData("https://203.0.113.4:443", "https://localhost:443")]
    [InlineData("http://punch.example.org:8080", "http://localhost:8080")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080", "http://127.0.0.1:5080")]
    [InlineData("http://127.0.0.2:5080", "http://127.0.0.2:5080")]
    [InlineData("http://[::1]:5080", "http://[::1]:5080")]
    [InlineData("http://unix:/run/punch.sock", "http://unix:/run/punch.sock")]
    public void Every_address_that_is_not_loopback_becomes_localhost_on_the_same_port(string configured, string expected) =>
        Assert.Equal([expected], LoopbackBinding.Restrict([configured]));

    [Fact]
    public void Addresses_that_end_up_the_same_are_listed_once() =>
        Assert.Equal(["http://localhost:5080", "http://127.0.0.1:6000"],
            LoopbackBinding.Restrict(["http://0.0.0.0:5080", "http://localhost:5080", "http://127.0.0.1:6000"]));

    private static IConfiguration Configuration(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build();

    [Fact]
    public void Without_a_login_urls_and_kestrel_endpoints_are_rewritten()
    {
        var configuration = Configuration(new()
        {
            ["urls"] = "http://+:5080;http://127.0.0.1:5081",
            ["Kestrel:Endpoints:Public:Url"] = "http://0.0.0.0:7000",
        });

        var plan = LoopbackBinding.Apply(configuration, loginRequired: false);

        Assert.True(plan.LoopbackOnly);
        Assert.Equal("http://localhost:5080;http://127.0.0.1:5081", configuration["urls"]);
        Assert.Equal("http://localhost:7000", configuration["Kestrel:Endpoints:Public:Url"]);
    }

    [Fact]
    public void Container_ports_count_when_no_urls_are_given()
    {
        var configuration = Configuration(new() { ["http_ports"] = "8080" });

        LoopbackBinding.Apply(configuration, loginRequired: false);

        Assert.Equal("http://localhost:8080", configuration["urls"]);
    }

    [Fact]
    public void With_a_login_the_configuration_is_left_alone()
    {
        var configuration = Configuration(new() { ["urls"] = "http://+:5080" });

        var plan = LoopbackBinding.Apply(configuration, loginRequired: true);

        Assert.False(plan.LoopbackOnly);
        Assert.Equal("http://+:5080", configuration["urls"]);
    }
}
