using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Output;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.DualStack;

/// <summary>
/// The real server on "::" announcing [::1] as its public IPv6 address (Rendezvous:PublicAddressV6), and two real peers: one
/// registered over IPv4 learns its public IPv6 endpoint there and offers it, so a peer registered over IPv6 reaches it directly
/// over IPv6, where before the pair met only through the relay (<see cref="DualStackPeersTests"/>); and <c>punch netcheck</c>
/// given the server's IPv4 address reports IPv6 reachability through the announced endpoint.
/// </summary>
public sealed class OtherFamilyReflexiveTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database, new Dictionary<string, string?>
        {
            ["Rendezvous:BindAddress"] = "::",
            ["Rendezvous:PublicAddressV6"] = "::1",
        });
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint ServerOver(IPAddress loopback) => new(loopback, _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!.Port);

    [Fact]
    public async Task A_peer_registered_over_IPv4_offers_its_public_IPv6_endpoint_and_an_IPv6_peer_meets_it_directly()
    {
        using var stop = new CancellationTokenSource(Limit);
        // Bob needs both families on one socket ([::], dual mode), like a real peer. He sends only to loopback: to the server, and
        // to Alice's candidates, which are all [::1] (she is bound there, so she cannot send to Bob's interface addresses either).
        var bob = new PeerUnderTest(PeerUnderTest.Fast(ServerOver(IPAddress.Loopback), "bob", peer: null).Options with { Bind = new IPEndPoint(IPAddress.IPv6Any, 0) });
        var listening = bob.ListenAsync(stop.Token);
        var registered = await bob.WaitForAsync<RegisteredEvent>();
        Assert.Equal(IPAddress.Loopback, registered.PublicEndPoint.Address);
        Assert.Equal(IPAddress.IPv6Loopback, registered.OtherFamilyPublicEndPoint?.Address);
        Assert.Equal(registered.PublicEndPoint.Port, registered.OtherFamilyPublicEndPoint?.Port); // one dual-stack socket

        var alice = PeerUnderTest.Fast(ServerOver(IPAddress.IPv6Loopback), "alice", "bob", count: 3);
        var run = alice.ConnectAsync();
        var introduced = await alice.WaitForAsync<IntroducedEvent>();
        Assert.Contains(introduced.Candidates, c => c.Kind == CandidateKind.ServerReflexive && c.EndPoint.Equals(registered.OtherFamilyPublicEndPoint));

        var path = await alice.WaitForDirectPathAsync();
        Assert.Equal(registered.OtherFamilyPublicEndPoint, path.Remote);
        Assert.Equal(CandidateKind.ServerReflexive, path.Candidate);
        Assert.Equal(0, await run.WaitAsync(Limit));
        Assert.Equal(3, alice.All<PingsDoneEvent>().Single().Summary.Received);

        await stop.CancelAsync();
        await listening.WaitAsync(Limit);
    }

    [Fact]
    public async Task Netcheck_with_an_IPv4_server_reports_IPv6_through_the_announced_endpoint()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int exit = await Punch.Peer.Cli.PeerCommandLine.RunAsync(
            ["netcheck", "--server", ServerOver(IPAddress.Loopback).ToString(), "--json", "--no-port-mapping"], output, error, TextReader.Null, CancellationToken.None).WaitAsync(Limit);

        Assert.True(exit == 0, $"exit {exit}: {error}");
        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var ipv6 = json.RootElement.GetProperty("ipv6");
        Assert.True(ipv6.GetProperty("reachable").GetBoolean(), output.ToString());
        Assert.Equal("::1", ipv6.GetProperty("publicAddress").GetString());
        Assert.Equal(ServerOver(IPAddress.IPv6Loopback).ToString(), ipv6.GetProperty("checkedAt").GetString());
    }
}
