using System.Net;
using System.Text.Json;
using Punch.Core.Discovery;
using Punch.Peer.Netcheck;

namespace Punch.Peer.Tests;

/// <summary>What <c>punch netcheck</c> says about IPv6, in both outputs.</summary>
public class Ipv6NetcheckTests
{
    private static readonly IPAddress Global = IPAddress.Parse("2001:db8:1::2");
    private static readonly IPAddress[] Interfaces = [IPAddress.Parse("192.0.2.2"), Global, IPAddress.Parse("fe80::1"), IPAddress.Parse("fd00::2"), IPAddress.IPv6Loopback];

    [Fact]
    public void A_server_reached_over_IPv6_shows_reachability_and_the_public_address()
    {
        var server = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 3478);
        var result = new DiscoveryResult { PublicEndPoint = new IPEndPoint(Global, 40000) };

        var ipv6 = Ipv6Status.Of(server, result, Interfaces);
        using var json = JsonDocument.Parse(NetcheckOutput.Json(server, result, ipv6));
        var element = json.RootElement.GetProperty("ipv6");

        Assert.Equal([Global], ipv6.GlobalAddresses);
        Assert.True(element.GetProperty("reachable").GetBoolean());
        Assert.Equal("2001:db8:1::2", element.GetProperty("publicAddress").GetString());
        Assert.False(element.GetProperty("nat66").GetBoolean());
        Assert.Contains("ipv6:            reachable, public address 2001:db8:1::2 (no NAT66: same as local)", NetcheckOutput.Human(server, result, ipv6), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_given_over_IPv4_leaves_IPv6_reachability_unchecked_and_says_how_to_check()
    {
        var server = new IPEndPoint(IPAddress.Parse("203.0.113.1"), 3478);
        var result = new DiscoveryResult { PublicEndPoint = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000) };

        var ipv6 = Ipv6Status.Of(server, result, Interfaces);
        using var json = JsonDocument.Parse(NetcheckOutput.Json(server, result, ipv6));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ipv6").GetProperty("reachable").ValueKind);
        Assert.Equal("2001:db8:1::2", json.RootElement.GetProperty("ipv6").GetProperty("globalAddresses")[0].GetString());
        Assert.Contains("reachability not checked", NetcheckOutput.Human(server, result, ipv6), StringComparison.Ordinal);
    }

    [Fact]
    public void An_IPv6_server_that_does_not_answer_is_reported_unreachable()
    {
        var server = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 3478);

        var ipv6 = Ipv6Status.Of(server, new DiscoveryResult(), []);

        Assert.False(ipv6.Reachable);
        Assert.Equal("the server did not answer over IPv6; no global IPv6 address", ipv6.Describe());
    }

    [Fact]
    public void An_IPv4_server_with_an_IPv6_endpoint_reports_IPv6_through_it_in_both_outputs()
    {
        var server = new IPEndPoint(IPAddress.Parse("203.0.113.1"), 3478);
        var result = new DiscoveryResult { PublicEndPoint = new IPEndPoint(IPAddress.Parse("203.0.113.9"), 40000) };
        var checkedAt = IPEndPoint.Parse("[2001:db8::1]:3478");

        var ipv6 = Ipv6Status.Of(server, result, Interfaces, new OtherFamilyCheck.Result(checkedAt, new IPEndPoint(Global, 40001)));
        using var json = JsonDocument.Parse(NetcheckOutput.Json(server, result, ipv6));
        var element = json.RootElement.GetProperty("ipv6");

        Assert.True(element.GetProperty("reachable").GetBoolean());
        Assert.Equal("2001:db8:1::2", element.GetProperty("publicAddress").GetString());
        Assert.Equal("[2001:db8::1]:3478", element.GetProperty("checkedAt").GetString());
        Assert.Contains("ipv6:            reachable (at [2001:db8::1]:3478), public address 2001:db8:1::2 (no NAT66: same as local)",
            NetcheckOutput.Human(server, result, ipv6), StringComparison.Ordinal);
        Assert.Equal("the server did not answer over IPv6 (at [2001:db8::1]:3478); global 2001:db8:1::2",
            Ipv6Status.Of(server, result, Interfaces, new OtherFamilyCheck.Result(checkedAt, null)).Describe());
    }
}
