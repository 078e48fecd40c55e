using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>Peers learn only what the server tells them about their own sessions: nothing in the UDP protocol lists or probes others.</summary>
public sealed class PeerIsolationTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();
    private PunchAppFactory _app = null!;

    public Task InitializeAsync()
    {
        _app = new PunchAppFactory(_database);
        _ = _app.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _database.Dispose();
    }

    private IPEndPoint Server => _app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;

    [Fact]
    public async Task A_connect_for_another_networks_peer_answers_exactly_as_for_a_name_nobody_has_and_introduces_nobody()
    {
        using var bob = new UdpTestClient(Server);
        using var mallory = new UdpTestClient(Server);
        var malloryId = new PeerIdentity("default", "mallory");
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("other", "bob"), []).WriteTo(b)));
        await mallory.RequestAsync(mallory.Build(b => new RegisterRequest(TransactionId.NewRandom(), malloryId, []).WriteTo(b)));

        var forBob = await mallory.RequestAsync(mallory.Build(b => new ConnectRequest(TransactionId.NewRandom(), malloryId, "bob").WriteTo(b)));
        var forNobody = await mallory.RequestAsync(mallory.Build(b => new ConnectRequest(TransactionId.NewRandom(), malloryId, "nobody").WriteTo(b)));

        Assert.True(ConnectResponse.TryRead(forBob, out var bobAnswer));
        Assert.True(ConnectResponse.TryRead(forNobody, out var nobodyAnswer));
        Assert.Equal(ConnectStatus.WaitingForPeer, bobAnswer.Status);
        Assert.Equal(nobodyAnswer.Status, bobAnswer.Status);
        Assert.Equal(forNobody.Length, forBob.Length);
        Assert.True(await mallory.StaysQuietAsync(TimeSpan.FromMilliseconds(500)), "mallory must not be introduced to another network's bob");
        Assert.True(await bob.StaysQuietAsync(TimeSpan.FromMilliseconds(100)), "bob must not hear of mallory");
    }

    [Fact]
    public async Task A_report_about_someone_elses_session_answers_exactly_as_for_a_made_up_session()
    {
        using var alice = new UdpTestClient(Server);
        using var bob = new UdpTestClient(Server);
        using var mallory = new UdpTestClient(Server);
        var aliceId = new PeerIdentity("default", "alice");
        var malloryId = new PeerIdentity("default", "mallory");
        await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), aliceId, []).WriteTo(b)));
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), new PeerIdentity("default", "bob"), []).WriteTo(b)));
        await mallory.RequestAsync(mallory.Build(b => new RegisterRequest(TransactionId.NewRandom(), malloryId, []).WriteTo(b)));
        var connect = await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), aliceId, "bob").WriteTo(b)));
        Assert.True(ConnectResponse.TryRead(connect, out var session));

        var aboutTheirs = await mallory.RequestAsync(mallory.Build(b => new ReportRequest(TransactionId.NewRandom(), malloryId, session.SessionId, SessionOutcome.Closed).WriteTo(b)));
        var aboutNone = await mallory.RequestAsync(mallory.Build(b => new ReportRequest(TransactionId.NewRandom(), malloryId, new SessionId(0x1234), SessionOutcome.Closed).WriteTo(b)));

        Assert.True(ErrorResponse.TryRead(aboutTheirs, out var theirs));
        Assert.True(ErrorResponse.TryRead(aboutNone, out var none));
        Assert.Equal((PunchErrorCode.NotRegistered, none.Reason), (theirs.Code, theirs.Reason));
        Assert.DoesNotContain("alice", theirs.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", theirs.Reason, StringComparison.Ordinal);
        Assert.Equal(0, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE Peer = 'mallory' AND SessionId = '{session.SessionId}'"));
    }
}
