using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Tests.Relay;
using Punch.Server.Tests.Rendezvous;

namespace Punch.Server.Tests.DualStack;

/// <summary>
/// A server bound to "::" answers IPv4 and IPv6 clients on one port, and reports each client in the
/// family it arrived in: 127.0.0.1, never ::ffff:127.0.0.1 (registrations, per-address caps and
/// cookies must see one form of an address).
/// </summary>
public sealed class DualStackRendezvousTests() : RelayHost(new Dictionary<string, string?> { ["Rendezvous:BindAddress"] = "::" })
{
    private IPEndPoint ServerOver(IPAddress loopback) => new(loopback, Server.Port);

    [Fact]
    public async Task One_port_answers_bindings_over_both_families_in_the_family_they_arrived_in()
    {
        using var v4 = new UdpTestClient(ServerOver(IPAddress.Loopback));
        using var v6 = new UdpTestClient(ServerOver(IPAddress.IPv6Loopback), IPAddress.IPv6Loopback);

        var overV4 = await v4.RequestAsync(v4.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b)));
        var overV6 = await v6.RequestAsync(v6.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b)));

        Assert.True(BindingResponse.TryRead(overV4, out var mappedV4));
        Assert.True(BindingResponse.TryRead(overV6, out var mappedV6));
        Assert.Equal(v4.LocalEndPoint, mappedV4.MappedEndPoint);
        Assert.False(mappedV4.MappedEndPoint.Address.IsIPv4MappedToIPv6);
        Assert.Equal(v6.LocalEndPoint, mappedV6.MappedEndPoint);
    }

    [Fact]
    public async Task A_peer_over_IPv6_and_a_peer_over_IPv4_are_introduced_with_each_others_public_endpoint()
    {
        using var pair = await RelayPair.IntroduceAsync(
            new UdpTestClient(ServerOver(IPAddress.IPv6Loopback), IPAddress.IPv6Loopback),
            new UdpTestClient(ServerOver(IPAddress.Loopback)));

        Assert.Contains(pair.ToAlice.Candidates, c => c.Kind == CandidateKind.ServerReflexive && c.EndPoint.Equals(pair.Bob.LocalEndPoint));
        Assert.Contains(pair.ToBob.Candidates, c => c.Kind == CandidateKind.ServerReflexive && c.EndPoint.Equals(pair.Alice.LocalEndPoint));
    }

    [Fact]
    public async Task The_relay_carries_frames_between_an_IPv6_peer_and_an_IPv4_peer()
    {
        using var pair = await RelayPair.IntroduceAsync(
            new UdpTestClient(ServerOver(IPAddress.IPv6Loopback), IPAddress.IPv6Loopback),
            new UdpTestClient(ServerOver(IPAddress.Loopback)));

        var aliceActivated = await pair.ActivateAsync(pair.Alice, pair.ToAlice);
        var bobActivated = await pair.ActivateAsync(pair.Bob, pair.ToBob);
        var toBob = pair.Frame(200, marker: 3);
        var toAlice = pair.Frame(40, marker: 4);
        pair.Alice.Send(toBob);
        var atBob = await RelayPair.ReceiveFrameAsync(pair.Bob);
        pair.Bob.Send(toAlice);
        var atAlice = await RelayPair.ReceiveFrameAsync(pair.Alice);

        Assert.Equal(pair.Alice.LocalEndPoint, aliceActivated.MappedEndPoint);
        Assert.Equal(pair.Bob.LocalEndPoint, bobActivated.MappedEndPoint);
        Assert.Equal(toBob, atBob);
        Assert.Equal(toAlice, atAlice);
    }
}
