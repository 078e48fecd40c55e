using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Punch.Core.Discovery;
using Punch.Peer.Netcheck;

namespace Punch.Server.Tests.Rendezvous.Interop;

/// <summary>
/// Stock STUN clients from Debian against the rendezvous configured for RFC 5780 on loopback (no NAT, so every
/// answer must say "open"/endpoint-independent), and <c>punch netcheck</c> against both the rendezvous and coturn.
/// </summary>
public sealed partial class Rfc5780InteropTests(BindingServers servers) : IClassFixture<BindingServers>
{
    private static readonly TimeSpan ToolLimit = TimeSpan.FromSeconds(30);

    private string Port => servers.Rfc5780Primary.Port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Turnutils_natdiscovery_finds_endpoint_independent_mapping_and_filtering_and_hairpinning()
    {
        string output = await ToolProcess.RunAsync("turnutils_natdiscovery", ["-m", "-f", "-H", "-p", Port, "127.0.0.1"], ToolLimit);

        Assert.Contains("NAT with Endpoint Independent Mapping!", output, StringComparison.Ordinal);
        Assert.Contains("NAT with Endpoint Independent Filtering!", output, StringComparison.Ordinal);
        Assert.Contains("Received a request (maybe a successful hairpinning)", output, StringComparison.Ordinal);
        Assert.Contains($"Other addr: : {servers.Rfc5780Other}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stun_client_of_rfc_3489_sees_an_open_internet()
    {
        string output = await ToolProcess.RunAsync("stun", [$"127.0.0.1:{Port}", "-v"], ToolLimit);

        Assert.Contains("Primary: Open", output, StringComparison.Ordinal);
        Assert.Contains($"ChangedAddress = {servers.Rfc5780Other}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turnutils_stunclient_reads_mapped_address_origin_and_other_address()
    {
        string output = await ToolProcess.RunAsync("turnutils_stunclient", ["-p", Port, "127.0.0.1"], ToolLimit);

        var mapped = ReflexiveAddress().Match(output);
        Assert.True(mapped.Success, output);
        Assert.Equal("127.0.0.1", mapped.Groups["ip"].Value);
        Assert.Contains($"Other addr: : {servers.Rfc5780Other}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Netcheck_against_the_rendezvous_finds_no_nat()
    {
        var result = await NetcheckAsync(servers.Rfc5780Primary);

        AssertNoNat(result);
        Assert.Equal(servers.Rfc5780Other, result.OtherAddress);
    }

    [Fact]
    public async Task Netcheck_against_coturn_finds_no_nat_and_measures_a_bounded_lifetime()
    {
        await using var coturn = await CoturnProcess.StartAsync();
        var result = await NetcheckAsync(new IPEndPoint(IPAddress.Loopback, coturn.Port), lifetimeMax: TimeSpan.FromSeconds(2));

        AssertNoNat(result);
        Assert.Equal(new LifetimeBounds(TimeSpan.FromSeconds(2), null), result.Lifetime);
    }

    [Fact]
    public async Task Netcheck_against_a_server_without_second_address_says_what_it_cannot_know()
    {
        var result = await NetcheckAsync(servers.PortOnlyPrimary);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, result.LocalEndPoint!.Port), result.PublicEndPoint);
        // RFC 5780 §6.1's OTHER-ADDRESS is the other address *and* port; with no second address there is none to name.
        Assert.Null(result.OtherAddress);
        Assert.Equal(NatBehaviour.Unknown, result.Mapping);
        Assert.Equal(NatBehaviour.Unknown, result.Filtering);
        Assert.Contains(result.Notes, n => n.Contains("OTHER-ADDRESS", StringComparison.Ordinal));
    }

    private static async Task<DiscoveryResult> NetcheckAsync(IPEndPoint server, TimeSpan? lifetimeMax = null)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return await NetcheckRunner.RunAsync(new NetcheckOptions(server, new IPEndPoint(IPAddress.Loopback, 0), Json: true, lifetimeMax), TimeProvider.System, limit.Token);
    }

    private static void AssertNoNat(DiscoveryResult result)
    {
        Assert.Equal(false, result.BehindNat);
        Assert.Equal(NatBehaviour.EndpointIndependent, result.Mapping);
        Assert.Equal(NatBehaviour.EndpointIndependent, result.Filtering);
        Assert.Equal(true, result.Hairpinning);
        Assert.Equal(true, result.PortPreserved);
        Assert.Empty(result.Notes);
    }

    [GeneratedRegex(@"UDP reflexive addr: (?<ip>[0-9.]+):(?<port>\d+)")]
    private static partial Regex ReflexiveAddress();
}
