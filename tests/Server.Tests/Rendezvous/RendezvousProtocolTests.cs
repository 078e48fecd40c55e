using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>The rendezvous over real UDP on loopback, spoken to with hand-built datagrams.</summary>
public sealed class RendezvousProtocolTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Rendezvous:PeerLifetime"] = "00:00:03" });
        _ = _app.Services; // starts the host, binding the UDP port
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint Server => _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    private RendezvousStats Stats => _app.Services.GetRequiredService<RendezvousStats>();

    [Fact]
    public async Task A_plain_binding_request_gets_the_senders_address_and_no_amplification()
    {
        using var client = new UdpTestClient(Server);
        var request = client.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b));

        var reply = await client.RequestAsync(request);

        Assert.True(BindingResponse.TryRead(reply, out var response));
        Assert.Equal(client.LocalEndPoint, response.MappedEndPoint);
        Assert.True(reply.Length <= request.Length + ReplyBudget.AmplificationAllowance);
    }

    [Fact]
    public async Task Garbage_and_truncated_messages_are_counted_and_dropped_and_the_server_keeps_serving()
    {
        using var client = new UdpTestClient(Server);
        var random = new Random(7);
        var register = client.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "alice"), [new IPEndPoint(IPAddress.Loopback, 4000)]).WriteTo(b));
        const int garbage = 100;
        for (int i = 0; i < garbage; i++)
        {
            var datagram = new byte[random.Next(0, 300)];
            random.NextBytes(datagram);
            client.Send(datagram);
        }

        for (int cut = 1; cut < register.Length; cut += 7)
        {
            client.Send(register.AsSpan(0, register.Length - cut));
        }

        var reply = await client.RequestAsync(client.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b)));

        Assert.True(BindingResponse.TryRead(reply, out _));
        await Eventually.WaitForAsync(() => Stats.Snapshot().MalformedDropped, n => n >= garbage, "malformed datagrams counted");
    }

    [Fact]
    public async Task A_name_held_by_a_live_peer_is_refused_with_a_reason_that_does_not_name_the_holders_endpoint()
    {
        using var first = new UdpTestClient(Server);
        using var second = new UdpTestClient(Server);
        var identity = new PeerIdentity("default", "alice");

        var ok = await first.RequestAsync(first.Build(b => new RegisterRequest(TransactionId.NewRandom(), identity, []).WriteTo(b)));
        var refused = await second.RequestAsync(second.Build(b => new RegisterRequest(TransactionId.NewRandom(), identity, []).WriteTo(b)));

        Assert.True(RegistrationResponse.TryRead(ok, out var registered));
        Assert.Equal(first.LocalEndPoint, registered.PublicEndPoint);
        Assert.True(ErrorResponse.TryRead(refused, out var error));
        Assert.Equal(PunchErrorCode.NameTaken, error.Code);
        Assert.Contains("taken", error.Reason, StringComparison.Ordinal);
        // The requester proved no membership of the network: it learns that the name is live, not where its holder is.
        Assert.DoesNotContain(first.LocalEndPoint.ToString(), error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(first.LocalEndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Reason, StringComparison.Ordinal);
        // The operator still sees it on the dashboard's timeline.
        await Eventually.WaitForAsync(() => _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Rejected' AND Peer = 'alice' AND Reason LIKE '%{first.LocalEndPoint}%'"),
            n => n == 1, "the Rejected event naming the holder");
    }

    [Fact]
    public async Task A_refresh_from_an_unknown_peer_says_register_again_and_a_silent_peer_expires()
    {
        using var client = new UdpTestClient(Server);
        var identity = new PeerIdentity("lab", "bob");
        var unknown = await client.RequestAsync(client.Build(b => new RefreshRequest(TransactionId.NewRandom(), identity, null).WriteTo(b)));
        Assert.True(ErrorResponse.TryRead(unknown, out var error));
        Assert.Equal(PunchErrorCode.NotRegistered, error.Code);

        await client.RequestAsync(client.Build(b => new RegisterRequest(TransactionId.NewRandom(), identity, []).WriteTo(b)));

        // PeerLifetime is 3 s here: without refreshes the registration lapses and an Expired event is stored.
        await Eventually.WaitForAsync(() => _database.Scalar("SELECT COUNT(*) FROM Events WHERE Kind = 'Expired' AND Peer = 'bob'"), n => n == 1, "the Expired event", TimeSpan.FromSeconds(10));
        var again = await client.RequestAsync(client.Build(b => new RefreshRequest(TransactionId.NewRandom(), identity, null).WriteTo(b)));
        Assert.True(ErrorResponse.TryRead(again, out error));
        Assert.Equal(PunchErrorCode.NotRegistered, error.Code);
    }

    [Fact]
    public async Task Connect_before_the_target_registers_waits_then_introduces_both_with_matching_credentials()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("default", "alice");
        var bobId = new PeerIdentity("default", "bob");
        var bobHost = new IPEndPoint(IPAddress.Parse("198.18.0.2"), 5000);

        await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), aliceId, []).WriteTo(b)));
        var connect = await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), aliceId, "bob").WriteTo(b)));
        Assert.True(ConnectResponse.TryRead(connect, out var waiting));
        Assert.Equal(ConnectStatus.WaitingForPeer, waiting.Status);

        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), bobId, [bobHost]).WriteTo(b)));
        var toAlice = await ReceiveIntroductionAsync(alice);
        var toBob = await ReceiveIntroductionAsync(bob);

        Assert.Equal(waiting.SessionId, toAlice.SessionId);
        Assert.Equal(waiting.SessionId, toBob.SessionId);
        Assert.Equal("bob", toAlice.PeerName);
        Assert.Equal("alice", toBob.PeerName);
        Assert.True(toAlice.Controlling);
        Assert.False(toBob.Controlling);
        Assert.Equal(toAlice.Local, toBob.Remote);
        Assert.Equal(toAlice.Remote, toBob.Local);
        Assert.Contains(new Candidate(CandidateKind.ServerReflexive, bob.LocalEndPoint), toAlice.Candidates);
        Assert.Contains(new Candidate(CandidateKind.Host, bobHost), toAlice.Candidates);
        Assert.Contains(new Candidate(CandidateKind.ServerReflexive, alice.LocalEndPoint), toBob.Candidates);

        alice.Send(alice.Build(b => new IntroductionAck(toAlice.TransactionId, toAlice.SessionId).WriteTo(b)));
        bob.Send(bob.Build(b => new IntroductionAck(toBob.TransactionId, toBob.SessionId).WriteTo(b)));
        string id = waiting.SessionId.ToString();
        await Eventually.WaitForAsync(() => _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Punching' AND SessionId = '{id}'"), n => n == 1, "the Punching event");
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'ConnectRequested' AND SessionId = '{id}'"));
        Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Introduced' AND SessionId = '{id}'"));
    }

    [Fact]
    public async Task An_unacknowledged_introduction_is_retransmitted()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "alice"), []).WriteTo(b)));
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "bob"), []).WriteTo(b)));
        await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), new PeerIdentity("default", "alice"), "bob").WriteTo(b)));

        var first = await ReceiveIntroductionAsync(bob);
        var second = await ReceiveIntroductionAsync(bob);

        // Same transaction and content: a retransmission, not a new introduction (candidates compared by value).
        Assert.Equal(first with { Candidates = [] }, second with { Candidates = [] });
        Assert.Equal(first.Candidates.AsEnumerable(), second.Candidates.AsEnumerable());
    }

    /// <summary>
    /// With a relay, one side's path is up within a round trip of its introduction, while the other's
    /// introduction may have been lost: the first side's PathUp report must not stop the retransmission
    /// to the second (the lab's "did not show up" under loss).
    /// </summary>
    [Fact]
    public async Task An_introduction_is_still_retransmitted_after_the_other_side_reported_a_path()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("default", "alice");
        await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), aliceId, []).WriteTo(b)));
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "bob"), []).WriteTo(b)));
        await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), aliceId, "bob").WriteTo(b)));
        var toAlice = await ReceiveIntroductionAsync(alice);
        var toBob = await ReceiveIntroductionAsync(bob);
        alice.Send(alice.Build(b => new IntroductionAck(toAlice.TransactionId, toAlice.SessionId).WriteTo(b)));
        var report = new ReportRequest(TransactionId.NewRandom(), aliceId, toAlice.SessionId, SessionOutcome.PathUp, PathKind.Relayed, Server, TimeSpan.FromMilliseconds(20));
        await alice.RequestAsync(alice.Build(b => report.WriteTo(b)));

        // Bob "lost" the copies so far: more must come, the same introduction, after alice's path is up.
        for (int drained = 0; drained < 10 && !await bob.StaysQuietAsync(TimeSpan.FromMilliseconds(100)); drained++)
        {
        }

        var again = await ReceiveIntroductionAsync(bob);
        Assert.Equal(toBob.TransactionId, again.TransactionId);
        Assert.Equal(toBob.SessionId, again.SessionId);

        // Once bob acknowledges, both know of each other: the Punching event marks it, path or not.
        bob.Send(bob.Build(b => new IntroductionAck(again.TransactionId, again.SessionId).WriteTo(b)));
        string id = again.SessionId.ToString();
        await Eventually.WaitForAsync(() => _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Kind = 'Punching' AND SessionId = '{id}'"), n => n == 1, "the Punching event");
    }

    [Fact]
    public async Task Connect_from_an_unregistered_address_is_refused()
    {
        using var client = new UdpTestClient(Server);
        var reply = await client.RequestAsync(client.Build(b => new ConnectRequest(TransactionId.NewRandom(), new PeerIdentity("default", "mallory"), "alice").WriteTo(b)));

        Assert.True(ErrorResponse.TryRead(reply, out var error));
        Assert.Equal(PunchErrorCode.NotRegistered, error.Code);
        Assert.True(reply.Length <= 200);
    }

    [Fact]
    public async Task The_probe_port_answers_bindings_and_introductions_carry_the_mapping_each_peer_reported()
    {
        var probe = _app.Services.GetRequiredService<RendezvousEndpoint>().ProbeEndPoint!;
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("default", "alice");
        var bobId = new PeerIdentity("default", "bob");

        var registered = await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), aliceId, []).WriteTo(b)));
        Assert.True(RegistrationResponse.TryRead(registered, out var response));
        Assert.Equal((ushort)probe.Port, response.ProbePort!.Value);

        using var toProbe = new UdpTestClient(probe);
        var mapped = await toProbe.RequestAsync(toProbe.Build(b => new BindingRequest(TransactionId.NewRandom()).WriteTo(b)));
        Assert.True(BindingResponse.TryRead(mapped, out var binding));
        Assert.Equal(toProbe.LocalEndPoint, binding.MappedEndPoint);

        // Only Binding is served on the probe port.
        toProbe.Send(toProbe.Build(b => new RegisterRequest(TransactionId.NewRandom(), bobId, []).WriteTo(b)));
        Assert.True(await toProbe.StaysQuietAsync(TimeSpan.FromMilliseconds(300)));

        await alice.RequestAsync(alice.Build(b => new RefreshRequest(TransactionId.NewRandom(), aliceId, null, NatMapping.EndpointDependent).WriteTo(b)));
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), bobId, [], NatMapping.EndpointIndependent).WriteTo(b)));
        await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), aliceId, "bob").WriteTo(b)));

        Assert.Equal(NatMapping.EndpointIndependent, (await ReceiveIntroductionAsync(alice)).RemoteMapping);
        Assert.Equal(NatMapping.EndpointDependent, (await ReceiveIntroductionAsync(bob)).RemoteMapping);
    }

    private static async Task<Introduction> ReceiveIntroductionAsync(UdpTestClient client)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            var datagram = await client.ReceiveAsync(deadline - DateTime.UtcNow);
            if (Introduction.TryRead(datagram, out var introduction))
            {
                return introduction;
            }
        }

        throw new TimeoutException("no introduction arrived");
    }
}
