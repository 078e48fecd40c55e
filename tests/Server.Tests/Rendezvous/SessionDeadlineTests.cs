using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>The coordinator's deadlines and per-address caps on a fake clock: packets and time in, state and events out.</summary>
public sealed class SessionDeadlineTests
{
    private static readonly IPEndPoint AliceAt = new(IPAddress.Parse("203.0.113.1"), 40001);
    private static readonly IPEndPoint BobAt = new(IPAddress.Parse("203.0.113.2"), 40002);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly RendezvousOptions _options = new() { PunchTimeout = TimeSpan.FromSeconds(30), MaxSessionsPerAddress = 3 };
    private readonly RecordingSink _events = new();
    private readonly NullSender _sender = new();
    private readonly PeerRegistry _registry;
    private readonly SessionCoordinator _sessions;

    public SessionDeadlineTests()
    {
        _registry = new PeerRegistry(_options);
        _sessions = new SessionCoordinator(_options, _registry, _events, new NetworkKeys(Options.Create(new NetworksOptions())));
    }

    private DateTimeOffset Now => _clock.GetUtcNow();

    private RegisteredPeer Register(string name, IPEndPoint at)
    {
        _registry.Register(new PeerIdentity("default", name), at, [], [], NatMapping.EndpointIndependent, default, Now, out var peer);
        return peer;
    }

    private RendezvousSession Connect(RegisteredPeer from, string to)
    {
        Assert.True(_sessions.TryConnect(from, to, Now, _sender, out var session, out _, out var refusedBy), $"connect refused by {refusedBy}");
        return session;
    }

    private void AcknowledgeBoth(RendezvousSession session)
    {
        foreach (var side in new[] { session.Requester, session.Target })
        {
            _sessions.OnIntroductionAck(new IntroductionAck(side.Pending!.TransactionId, session.Id), side.Pending.To, Now);
        }
    }

    [Fact]
    public void An_introduced_session_without_a_path_fails_at_the_punch_timeout_with_the_reason()
    {
        var alice = Register("alice", AliceAt);
        Register("bob", BobAt);
        var session = Connect(alice, "bob");
        AcknowledgeBoth(session);
        Assert.Equal(RendezvousSessionState.Punching, session.State);

        _clock.Advance(TimeSpan.FromSeconds(29));
        _sessions.Tick(Now, _sender);
        Assert.Equal(RendezvousSessionState.Punching, session.State);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _sessions.Tick(Now, _sender);
        Assert.Equal(RendezvousSessionState.Failed, session.State);
        var failed = Assert.Single(_events.Of(PunchEventKind.Failed));
        Assert.Equal("no path within 30 s of the introduction (Rendezvous:PunchTimeout)", failed.Reason);
    }

    [Fact]
    public void A_session_with_a_path_is_not_ended_by_the_punch_timeout()
    {
        var alice = Register("alice", AliceAt);
        Register("bob", BobAt);
        var session = Connect(alice, "bob");
        AcknowledgeBoth(session);
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(_sessions.OnReport(new ReportRequest(TransactionId.NewRandom(), alice.Identity, session.Id, SessionOutcome.PathUp, PathKind: PathKind.Direct), Now));

        _clock.Advance(TimeSpan.FromMinutes(2));
        _sessions.Tick(Now, _sender);
        Assert.Equal(RendezvousSessionState.Connected, session.State);
        Assert.Empty(_events.Of(PunchEventKind.Failed));
    }

    [Fact]
    public void One_address_holds_at_most_its_share_of_live_sessions_and_a_slot_frees_when_a_session_ends()
    {
        var names = Enumerable.Range(0, 5).Select(i => Register($"p{i}", new IPEndPoint(AliceAt.Address, 41000 + i))).ToList();
        var carol = Register("carol", BobAt);
        var sessions = Enumerable.Range(1, 3).Select(i => Connect(names[0], $"p{i}")).ToList();

        Assert.False(_sessions.TryConnect(names[0], "p4", Now, _sender, out _, out _, out var refusedBy));
        Assert.Equal(LimitKind.SessionsPerAddress, refusedBy);
        // Another address is not affected by this one's share.
        Connect(carol, "p4");

        // Past the deadline the three end, and their slots are free again.
        _clock.Advance(_options.PunchTimeout);
        _sessions.Tick(Now, _sender);
        Assert.All(sessions, s => Assert.Equal(RendezvousSessionState.Failed, s.State));
        Connect(names[0], "p4");
    }

    [Fact]
    public void A_report_after_the_session_ended_is_recorded_but_does_not_bring_it_back()
    {
        var alice = Register("alice", AliceAt);
        Register("bob", BobAt);
        var session = Connect(alice, "bob");
        AcknowledgeBoth(session);
        Assert.True(_sessions.OnReport(new ReportRequest(TransactionId.NewRandom(), alice.Identity, session.Id, SessionOutcome.Failed, Reason: "gave up"), Now));
        Assert.Equal(RendezvousSessionState.Failed, session.State);

        Assert.True(_sessions.OnReport(new ReportRequest(TransactionId.NewRandom(), alice.Identity, session.Id, SessionOutcome.PathUp, PathKind: PathKind.Relayed), Now));
        Assert.Equal(RendezvousSessionState.Failed, session.State);
        Assert.Single(_events.Of(PunchEventKind.PathUp));

        // Its slot is free: the same address holds none of its three.
        var more = Enumerable.Range(0, 3).Select(i => Register($"q{i}", new IPEndPoint(BobAt.Address, 42000 + i))).ToList();
        Assert.All(more, m => Connect(alice, m.Identity.Name));
    }

    [Fact]
    public void A_session_replaced_because_a_side_moved_ends_even_when_connected()
    {
        var alice = Register("alice", AliceAt);
        Register("bob", BobAt);
        var first = Connect(alice, "bob");
        AcknowledgeBoth(first);
        _sessions.OnReport(new ReportRequest(TransactionId.NewRandom(), alice.Identity, first.Id, SessionOutcome.PathUp, PathKind: PathKind.Direct), Now);

        // Alice restarted behind a new port and asks again: the old session can never complete, and it leaves the caps.
        _registry.Register(alice.Identity, new IPEndPoint(AliceAt.Address, 40999), [], [], NatMapping.EndpointIndependent, default, Now + TimeSpan.FromSeconds(31), out var moved);
        var second = Connect(moved, "bob");
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(RendezvousSessionState.Closed, first.State);
    }

    private sealed class RecordingSink : IPunchEventSink
    {
        private readonly ConcurrentQueue<PunchEvent> _events = new();

        public bool TryPublish(PunchEvent punchEvent)
        {
            _events.Enqueue(punchEvent);
            return true;
        }

        /// <summary>The flat shape, as the hub shows it: the assertions read fields of several kinds.</summary>
        public IReadOnlyList<StoredEvent> Of(PunchEventKind kind) => [.. _events.Where(e => e.Kind == kind).Select(e => e.ToStored())];
    }

    private sealed class NullSender : IDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
        {
        }
    }
}
