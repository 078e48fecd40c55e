using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// A port the peer's router mapped for it (PCP, NAT-PMP, UPnP IGD) travels in Register as a <c>mapped</c> candidate,
/// is kept on the registration, and reaches the other side's introduction before the server-reflexive candidate:
/// over real UDP to the real host for peers behind one address, and through <see cref="IntroductionCandidates"/> for
/// peers behind different NATs (the test host has only loopback, one public address).
/// </summary>
public sealed class MappedCandidateTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private static readonly IPEndPoint RouterGrant = IPEndPoint.Parse("203.0.113.7:40001");
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database);
        _ = _app.Services; // starts the host, binding the UDP port
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint Server => _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    [Fact]
    public async Task A_registered_mapped_candidate_reaches_the_other_peers_introduction_between_host_and_server_reflexive()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("map", "alice");
        var bobId = new PeerIdentity("map", "bob");
        // A LAN address other than the one the server sees (which it leaves out as the server-reflexive candidate's twin).
        await RegisterAsync(alice, new RegisterRequest(TransactionId.NewRandom(), aliceId, [IPEndPoint.Parse("192.168.1.2:4000")], MappedCandidates: [RouterGrant]));
        await RegisterAsync(bob, new RegisterRequest(TransactionId.NewRandom(), bobId, [bob.LocalEndPoint]));

        var connect = new ConnectRequest(TransactionId.NewRandom(), bobId, "alice");
        Assert.True(ConnectResponse.TryRead(await bob.RequestAsync(bob.Build(b => connect.WriteTo(b))), out _));
        var toBob = await ReceiveIntroductionAsync(bob);

        // Same public address (both on loopback): host first, then the mapping, then what the server saw.
        Assert.Equal([CandidateKind.Host, CandidateKind.Mapped, CandidateKind.ServerReflexive], toBob.Candidates.Select(c => c.Kind));
        Assert.Equal(RouterGrant, toBob.Candidates[1].EndPoint);
        Assert.DoesNotContain(toBob.Candidates, c => c.Kind == CandidateKind.Mapped && c.EndPoint.Equals(bob.LocalEndPoint));
    }

    [Fact]
    public void Behind_different_nats_the_mapped_candidate_goes_before_the_server_reflexive_one()
    {
        var now = DateTimeOffset.UnixEpoch;
        var alice = new RegisteredPeer(new PeerIdentity("map", "alice"), IPEndPoint.Parse("198.51.100.1:5000"), [IPEndPoint.Parse("192.168.1.2:4000")], now, now,
            MappedCandidates: [RouterGrant]);
        var bob = new RegisteredPeer(new PeerIdentity("map", "bob"), IPEndPoint.Parse("198.51.100.9:6000"), [IPEndPoint.Parse("10.0.0.2:4000")], now, now);

        var toBob = IntroductionCandidates.Of(alice, bob);
        Assert.Equal([CandidateKind.Mapped, CandidateKind.ServerReflexive, CandidateKind.Host], toBob.Select(c => c.Kind));
        // A peer without a mapping offers none.
        Assert.DoesNotContain(IntroductionCandidates.Of(bob, alice), c => c.Kind == CandidateKind.Mapped);
    }

    private static async Task RegisterAsync(UdpTestClient client, RegisterRequest request) =>
        Assert.True(RegistrationResponse.TryRead(await client.RequestAsync(client.Build(b => request.WriteTo(b))), out _));

    /// <summary>The introduction is retransmitted until acknowledged, so one skipped while waiting for another answer comes again.</summary>
    private static async Task<Introduction> ReceiveIntroductionAsync(UdpTestClient client)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (true)
        {
            var datagram = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            if (Introduction.TryRead(datagram, out var introduction))
            {
                return introduction;
            }
        }
    }
}
