using System.Net;
using System.Text.Json;
using Punch.Peer.PortMapping;

namespace Punch.Peer.Tests.PortMapping;

/// <summary><c>punch netcheck</c>'s port mapping part against fakes on loopback: every protocol is tried, each one's answer reported, every grant deleted.</summary>
public sealed class PortMappingCheckTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Netcheck_reports_which_protocols_answered_and_the_mapped_address_and_deletes_every_grant()
    {
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.31"), FakePortMappingGateway.Protocols.NatPmpOnly);
        using var upnp = new FakeUpnpGateway(IPAddress.Parse("127.0.0.32"));
        var settings = new PortMappingSettings(gateway.EndPoint, upnp.SsdpEndPoint) { PcpWait = TimeSpan.FromSeconds(2), NatPmpWait = TimeSpan.FromSeconds(2), SsdpWait = TimeSpan.FromSeconds(2) };

        var result = await PortMappingCheck.RunAsync(settings, IPAddress.Loopback, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(PortMappingMethod.NatPmp, result.Grant?.Method);
        Assert.Equal([false, true, true], result.Attempts.Select(a => a.Answered));
        Assert.Empty(gateway.Mappings);
        Assert.Empty(upnp.Mappings);

        using var json = JsonDocument.Parse(PortMappingCheck.AddToJson("{\"server\":\"x\"}", result));
        var mapping = json.RootElement.GetProperty("portMapping");
        Assert.Equal("x", json.RootElement.GetProperty("server").GetString());
        Assert.Equal("natpmp", mapping.GetProperty("method").GetString());
        Assert.Equal(result.Grant!.External.ToString(), mapping.GetProperty("mapped").GetString());
        Assert.False(mapping.GetProperty("pcp").GetProperty("answered").GetBoolean());
        Assert.Equal("the gateway speaks NAT-PMP, not PCP", mapping.GetProperty("pcp").GetProperty("detail").GetString());
        Assert.True(mapping.GetProperty("upnp").GetProperty("answered").GetBoolean());
        Assert.StartsWith($"{upnp.ExternalAddress}:", mapping.GetProperty("upnp").GetProperty("external").GetString(), StringComparison.Ordinal);

        string human = PortMappingCheck.Human(result);
        Assert.Contains($"port mapping:    NAT-PMP mapped {result.Grant.External}", human, StringComparison.Ordinal);
        Assert.Contains("PCP:", human, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(PortMappingCheck.AddToJson("{}", null)).RootElement.GetProperty("portMapping").ValueKind);
    }
}
