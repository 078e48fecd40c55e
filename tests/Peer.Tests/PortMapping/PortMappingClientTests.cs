using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Punch.Peer.PortMapping;
using Xunit.Abstractions;

namespace Punch.Peer.Tests.PortMapping;

/// <summary>
/// The PCP, NAT-PMP and UPnP IGD clients and their order against fake gateways on real loopback sockets: what each
/// grants, renews and deletes, how hostile answers are dropped, and what a network without any of them costs.
/// </summary>
public sealed class PortMappingClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(7200);
    private const ushort InternalPort = 34567;

    /// <summary>For tests of what is answered (not of the limits): an answering fake replies at once, and a loaded 2-core machine must not turn a slow reply into a failure.</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(3);

    /// <summary>Settings pointing at loopback fakes: no real gateway, no multicast.</summary>
    private static PortMappingSettings Settings(IPEndPoint? gateway, IPEndPoint ssdp) => new(gateway, ssdp);

    [Fact]
    public async Task Pcp_maps_renews_with_the_same_nonce_and_deletes()
    {
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.11"));
        var counters = new PortMappingCounters();
        var pcp = new PcpClient(gateway.EndPoint, Generous, counters);

        var first = await pcp.MapAsync(InternalPort, Lifetime, null, CancellationToken.None).WaitAsync(Limit);
        Assert.True(first.Answered);
        var grant = Assert.IsType<PortMappingGrant>(first.Grant);
        Assert.Equal(new IPEndPoint(FakePortMappingGateway.DocumentationAddress, InternalPort), grant.External); // the port we suggested
        Assert.Equal(TimeSpan.FromSeconds(3600), grant.Lifetime);

        var renewed = await pcp.MapAsync(InternalPort, Lifetime, grant, CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(grant.External, renewed.Grant?.External);
        Assert.Equal(grant.Handle, renewed.Grant?.Handle);
        Assert.Equal(2, gateway.MapRequests[InternalPort]);

        Assert.True(await pcp.DeleteAsync(grant, CancellationToken.None).WaitAsync(Limit));
        Assert.Empty(gateway.Mappings);
        Assert.Equal(0, counters.Dropped);
    }

    [Fact]
    public async Task A_nat_pmp_only_gateway_answers_pcp_with_version_0_and_the_mapper_falls_back_to_nat_pmp()
    {
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.12"), FakePortMappingGateway.Protocols.NatPmpOnly);
        using var noSsdp = SilentSocket();
        var counters = new PortMappingCounters();

        var result = await PortMapper.MapAsync(Settings(gateway.EndPoint, Local(noSsdp)).CreateClients(counters), InternalPort, Lifetime, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal([PortMappingMethod.Pcp, PortMappingMethod.NatPmp], result.Attempts.Select(a => a.Method));
        Assert.Equal("the gateway speaks NAT-PMP, not PCP", result.Attempts[0].Detail);
        Assert.Equal(PortMappingMethod.NatPmp, result.Grant?.Method);
        Assert.Equal(new IPEndPoint(FakePortMappingGateway.DocumentationAddress, InternalPort), result.Grant?.External);
        Assert.True(await result.Client!.DeleteAsync(result.Grant!, CancellationToken.None).WaitAsync(Limit));
        Assert.Empty(gateway.Mappings);
    }

    [Fact]
    public async Task Hostile_answers_are_counted_and_dropped_and_the_real_answer_still_counts()
    {
        using var gateway = new FakePortMappingGateway(IPAddress.Parse("127.0.0.13")) { HostileFirst = true };
        var counters = new PortMappingCounters();

        var pcp = await new PcpClient(gateway.EndPoint, Generous, counters).MapAsync(InternalPort, Lifetime, null, CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(FakePortMappingGateway.DocumentationAddress, pcp.Grant?.External.Address);
        Assert.Equal(2, counters.Dropped); // the short datagram and the wrong nonce (whose address, 198.51.100.66, was not taken)

        var natPmp = await new NatPmpClient(gateway.EndPoint, Generous, counters).MapAsync(InternalPort, Lifetime, null, CancellationToken.None).WaitAsync(Limit);
        Assert.Equal(FakePortMappingGateway.DocumentationAddress, natPmp.Grant?.External.Address);
        Assert.Equal(4, counters.Dropped); // plus the short address answer and the mapping of another internal port
    }

    [Fact]
    public async Task Upnp_finds_the_gateway_by_ssdp_maps_through_soap_and_deletes()
    {
        using var upnp = new FakeUpnpGateway(IPAddress.Parse("127.0.0.14"));
        var counters = new PortMappingCounters();
        var client = new UpnpIgdClient(upnp.SsdpEndPoint, Generous, Generous, counters);

        var attempt = await client.MapAsync(InternalPort, Lifetime, null, CancellationToken.None).WaitAsync(Limit);

        Assert.True(attempt.Answered, attempt.Detail);
        Assert.Equal(new IPEndPoint(upnp.ExternalAddress, InternalPort), attempt.Grant?.External);
        Assert.Equal($"127.0.0.1:{InternalPort}", upnp.Mappings[InternalPort]);
        var renewed = await client.MapAsync(InternalPort, Lifetime, attempt.Grant, CancellationToken.None).WaitAsync(Limit);
        Assert.True(renewed.Grant is not null, renewed.Detail);
        Assert.Equal(attempt.Grant?.External, renewed.Grant?.External);
        Assert.True(await client.DeleteAsync(attempt.Grant!, CancellationToken.None).WaitAsync(Limit));
        Assert.Empty(upnp.Mappings);
        Assert.Equal(
            ["GetExternalIPAddress", "AddPortMapping", "GetExternalIPAddress", "AddPortMapping", "DeletePortMapping"],
            upnp.Actions.Select(a => a.Split('#')[1].TrimEnd('"')));
    }

    [Fact]
    public async Task An_ssdp_answer_whose_location_is_another_host_is_dropped_and_no_http_goes_there()
    {
        using var upnp = new FakeUpnpGateway(IPAddress.Parse("127.0.0.15")) { LocationHost = "127.0.0.16" };
        var counters = new PortMappingCounters();
        var client = new UpnpIgdClient(upnp.SsdpEndPoint, TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2), counters);

        var attempt = await client.MapAsync(InternalPort, Lifetime, null, CancellationToken.None).WaitAsync(Limit);

        Assert.Null(attempt.Grant);
        Assert.False(attempt.Answered);
        Assert.True(counters.Dropped >= 1);
        Assert.Empty(upnp.Actions);
    }

    [Fact]
    public async Task A_network_without_any_mapping_service_costs_under_a_second()
    {
        // Silent: bound sockets that never answer (no ICMP either), the slowest case: every client waits out its limit.
        // Best of three: the first pays for JIT, and a loaded 2-core machine adds whole scheduler quanta at random.
        using var silentGateway = SilentSocket();
        using var silentSsdp = SilentSocket();
        var settings = Settings(Local(silentGateway), Local(silentSsdp));
        var counters = new PortMappingCounters();
        var rounds = new List<TimeSpan>();
        PortMappingResult result = null!;
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < 3; round++)
        {
            clock.Restart();
            result = await PortMapper.MapAsync(settings.CreateClients(counters), InternalPort, Lifetime, CancellationToken.None).WaitAsync(Limit);
            rounds.Add(clock.Elapsed);
        }

        var silent = rounds.Min();
        output.WriteLine($"silent gateway and SSDP: {string.Join(", ", rounds.Select(r => $"{r.TotalMilliseconds:0} ms"))}");
        Assert.Null(result.Grant);
        Assert.All(result.Attempts, a => Assert.False(a.Answered));
        Assert.True(silent < TimeSpan.FromSeconds(1), $"took {silent.TotalMilliseconds:0} ms at best");

        // Closed ports: the ICMP port unreachable ends PCP and NAT-PMP at once.
        var closed = ClosedPort();
        clock.Restart();
        result = await PortMapper.MapAsync(Settings(closed, Local(silentSsdp)).CreateClients(counters), InternalPort, Lifetime, CancellationToken.None).WaitAsync(Limit);
        output.WriteLine($"closed gateway port, silent SSDP: {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal("nothing listens on the gateway's port 5351", result.Attempts[0].Detail);
        Assert.Equal("nothing listens on the gateway's port 5351", result.Attempts[1].Detail);
    }

    [Theory]
    [InlineData("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\neth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", "192.168.0.1")]
    [InlineData("Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\neth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n", null)]
    [InlineData("garbage\n\t\t\nzz zz zz zz zz zz zz zz\n", null)]
    public void The_default_gateway_is_read_from_the_kernel_route_table(string table, string? expected) =>
        Assert.Equal(expected, DefaultGateway.FromRouteTable(table)?.ToString());

    private static Socket SilentSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static IPEndPoint Local(Socket socket) => (IPEndPoint)socket.LocalEndPoint!;

    private static IPEndPoint ClosedPort()
    {
        using var socket = SilentSocket();
        return Local(socket);
    }
}
