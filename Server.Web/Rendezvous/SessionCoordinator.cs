using System.Collections.Immutable;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Events;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// Pairs peers into sessions and introduces them: a connect request waits (bounded) for its target,
/// introductions are retransmitted until both sides acknowledge, reports move the session to its
/// outcome. Introductions to a keyed network are signed with its key, so its peers can tell them
/// from forgeries. Each introduced session gets a relay channel from <paramref name="relay"/> (when
/// there is one and it has room), freed when the session ends. Not thread-safe: the rendezvous handler
/// serializes access.
/// </summary>
public sealed class SessionCoordinator(RendezvousOptions options, PeerRegistry registry, IPunchEventSink events, NetworkKeys keys, ISessionRelay? relay = null, RendezvousStats? stats = null)
{
    private readonly Dictionary<SessionId, RendezvousSession> _sessions = [];
    private readonly Dictionary<(string Network, string First, string Second), RendezvousSession> _currentByPair = [];
    // Sessions created waiting for their target; pruned lazily (a session's State is the truth), at most MaxPendingConnects long.
    private readonly List<RendezvousSession> _waiting = [];

    public int Count => _sessions.Count;

    public RendezvousSession? Find(SessionId id) => _sessions.GetValueOrDefault(id);

    /// <summary>Joins or starts the pair's session; false with <paramref name="refusedBy"/> when a cap says no.</summary>
    public bool TryConnect(RegisteredPeer requester, string targetName, DateTimeOffset now, IDatagramSender sender, out RendezvousSession session, out ConnectStatus status, out LimitKind refusedBy)
    {
        refusedBy = default;
        var target = requester.Identity with { Name = targetName };
        var key = PairKey(requester.Identity, target);
        if (_currentByPair.TryGetValue(key, out var existing))
        {
            bool reusable = existing.IsActive || existing.State == RendezvousSessionState.Connected;
            if (reusable && !IsStale(existing, requester))
            {
                session = existing;
                status = existing.State == RendezvousSessionState.Requested && !TryIntroduce(existing, now, sender)
                    ? ConnectStatus.WaitingForPeer
                    : ConnectStatus.Introducing;
                return true;
            }

            if (existing.IsLive)
            {
                // A side restarted since it was introduced (new public endpoint): that session can never complete,
                // and a replaced session must not live on outside the caps (they count the current one of each pair).
                Finish(existing, RendezvousSessionState.Closed, now, requester.Identity, "superseded: a peer reconnected from a new address");
            }
        }

        bool targetLive = registry.Find(target) is { } found && found.ExpiresAt > now;
        var requesterBlock = AddressBlock.Of(requester.PublicEndPoint.Address);
        if (IsAtSessionCap(requesterBlock, out refusedBy) || (!targetLive && IsWaitingFull(requester.Identity, out refusedBy)))
        {
            session = null!;
            status = default;
            return false;
        }

        ForgetFinishedBeyondBound();
        session = new RendezvousSession(SessionId.NewRandom(), requester.Identity, target, now, requesterBlock);
        _sessions[session.Id] = session;
        _currentByPair[key] = session;
        PublishStep(session, PunchEventKind.ConnectRequested, requester.Identity, now);
        status = TryIntroduce(session, now, sender) ? ConnectStatus.Introducing : ConnectStatus.WaitingForPeer;
        if (status == ConnectStatus.WaitingForPeer)
        {
            _waiting.Add(session);
        }

        return true;
    }

    /// <summary>
    /// The live sessions (the current one of each pair) against <see cref="RendezvousOptions.MaxSessions"/>, and
    /// those requested from <paramref name="address"/> against <see cref="RendezvousOptions.MaxSessionsPerAddress"/>,
    /// so one host cannot hold every slot. A scan, not a counter: connects are rare next to datagrams
    /// (each source is rate limited) and a scan of the live pairs cannot drift from the truth.
    /// </summary>
    private bool IsAtSessionCap(System.Net.IPAddress address, out LimitKind refusedBy)
    {
        refusedBy = LimitKind.Sessions;
        if (_currentByPair.Count >= options.MaxSessions)
        {
            return true;
        }

        int fromAddress = 0;
        foreach (var live in _currentByPair.Values)
        {
            fromAddress += live.RequesterAddress.Equals(address) ? 1 : 0;
        }

        refusedBy = LimitKind.SessionsPerAddress;
        return fromAddress >= options.MaxSessionsPerAddress;
    }

    /// <summary>
    /// Finished sessions are kept for late reports (<see cref="RendezvousOptions.SessionRetention"/>), but never more
    /// than <see cref="RendezvousOptions.MaxSessions"/> of them: past that the oldest go first, down to 90 %, so a
    /// stream of sessions that fail fast cannot grow memory and the sort runs once per tenth of the bound, not per connect.
    /// </summary>
    private void ForgetFinishedBeyondBound()
    {
        int finished = _sessions.Count - _currentByPair.Count;
        if (finished < options.MaxSessions)
        {
            return;
        }

        int keep = options.MaxSessions * 9 / 10;
        foreach (var old in _sessions.Values.Where(s => !s.IsLive).OrderBy(s => s.LastChange).Take(finished - keep).ToList())
        {
            _sessions.Remove(old.Id);
        }
    }

    /// <summary>
    /// A waiting connect holds a session for up to PendingConnectTimeout, so connects to names that
    /// never register are capped per requester and in all.
    /// </summary>
    private bool IsWaitingFull(PeerIdentity requester, out LimitKind refusedBy)
    {
        _waiting.RemoveAll(static s => s.State != RendezvousSessionState.Requested);
        int mine = 0;
        foreach (var waiting in _waiting)
        {
            mine += waiting.Requester.Identity == requester ? 1 : 0;
        }

        refusedBy = mine >= options.MaxPendingConnectsPerPeer ? LimitKind.PendingConnectsPerPeer : LimitKind.PendingConnects;
        return mine >= options.MaxPendingConnectsPerPeer || _waiting.Count >= options.MaxPendingConnects;
    }

    /// <summary>A peer (re)registered or reported its NAT mapping: sessions that waited for it can be introduced now.</summary>
    public void OnPeerReady(PeerIdentity identity, DateTimeOffset now, IDatagramSender sender)
    {
        foreach (var session in _currentByPair.Values.Where(s => s.State == RendezvousSessionState.Requested && s.SideOf(identity) is not null).ToList())
        {
            TryIntroduce(session, now, sender);
        }
    }

    public void OnIntroductionAck(IntroductionAck ack, IPEndPoint from, DateTimeOffset now)
    {
        if (!_sessions.TryGetValue(ack.SessionId, out var session))
        {
            return;
        }

        bool newlyAcknowledged = false;
        foreach (var side in new[] { session.Requester, session.Target })
        {
            if (side.Pending is { } pending && pending.TransactionId == ack.TransactionId && pending.To.Equals(from))
            {
                side.Pending = null;
                side.Acknowledged = true;
                newlyAcknowledged = true;
            }
        }

        // The second side's first acknowledgement: both know of each other now. A side's relayed path
        // may already be up (Connected): the event still marks the moment, the state stays where the reports moved it.
        if (newlyAcknowledged && session.Requester.Acknowledged && session.Target.Acknowledged
            && session.State is RendezvousSessionState.Introduced or RendezvousSessionState.Connected)
        {
            session.State = session.State == RendezvousSessionState.Introduced ? RendezvousSessionState.Punching : session.State;
            session.LastChange = now;
            PublishStep(session, PunchEventKind.Punching, session.Requester.Identity, now);
        }
    }

    /// <summary>Applies a peer's report; false when the session is unknown or not the peer's.</summary>
    public bool OnReport(ReportRequest report, DateTimeOffset now)
    {
        if (!_sessions.TryGetValue(report.SessionId, out var session) || session.SideOf(report.Peer) is not { } side)
        {
            return false;
        }

        // Bounded: a peer sends a handful of reports per session.
        if (side.HandledReports.Count >= 64 || !side.HandledReports.Add(report.TransactionId))
        {
            return true;
        }

        var reported = new ReportEvents(report, session, side, now);
        // The end of punching (path up or failed) is also the check traffic summary of that side: once per side.
        if (ReportEvents.EndsPunching(report) && !side.Reported)
        {
            side.Reported = true;
            events.TryPublish(reported.ChecksSummary());
        }

        events.TryPublish(reported.Outcome());

        // A finished session stays finished: a late report is recorded on its timeline, but a PathUp must not bring it
        // back to life outside the session caps (they count the current session of each pair only).
        if (!session.IsLive)
        {
            return true;
        }

        session.LastChange = now;
        switch (report.Outcome)
        {
            case SessionOutcome.PathUp:
                // The pair stays current: a late connect request from either side joins this session instead of starting another.
                session.State = RendezvousSessionState.Connected;
                relay?.OnPathUp(session.Id, report.PathKind, now);
                if (report.PathKind is { } path && session.CurrentPath != path)
                {
                    stats?.PathUp(path, now - (session.IntroducedTime ?? session.RequestedAt), first: session.CurrentPath is null);
                    // Both sides report each switch; the session's path changes once, on the first report.
                    session.CurrentPath = path;
                    events.TryPublish(reported.PathChanged());
                }

                break;
            case SessionOutcome.Failed when session.State != RendezvousSessionState.Connected:
                session.State = RendezvousSessionState.Failed;
                stats?.SessionFailed();
                ReleasePair(session);
                relay?.Free(session.Id, now, $"{report.Peer.Name} reported the session failed");
                break;
            case SessionOutcome.Closed:
                session.State = RendezvousSessionState.Closed;
                ReleasePair(session);
                relay?.Free(session.Id, now, $"{report.Peer.Name} closed the session");
                break;
        }

        return true;
    }

    /// <summary>Retransmits introductions, gives up on the unanswered, the never-registered and the never-connected, forgets old sessions.</summary>
    public void Tick(DateTimeOffset now, IDatagramSender sender)
    {
        // Every state has a deadline: introduced sessions must reach a path within PunchTimeout, or they end and free what they hold.
        foreach (var session in _currentByPair.Values.Where(s => s.State is RendezvousSessionState.Introduced or RendezvousSessionState.Punching
            && s.IntroducedTime is { } introduced && now - introduced >= options.PunchTimeout).ToList())
        {
            stats?.Refused(LimitKind.PunchTimeout);
            Finish(session, RendezvousSessionState.Failed, now, session.Requester.Identity,
                $"no path within {options.PunchTimeout.TotalSeconds:0} s of the introduction (Rendezvous:PunchTimeout)");
        }

        // Whatever the state: one side's relayed path can be up (Connected) while the other's introduction is still being retransmitted.
        foreach (var session in _currentByPair.Values.Where(s => s.State == RendezvousSessionState.Requested || s.HasPendingIntroduction).ToList())
        {
            // A side whose mapping grace ran out is introduced now, with its mapping unknown.
            if (session.State == RendezvousSessionState.Requested && TryIntroduce(session, now, sender))
            {
                continue;
            }

            if (session.State == RendezvousSessionState.Requested && now - session.RequestedAt >= options.PendingConnectTimeout)
            {
                Finish(session, RendezvousSessionState.Failed, now, session.Requester.Identity,
                    $"{session.Target.Identity.Name} did not register within {options.PendingConnectTimeout.TotalSeconds:0} s of the connect request");
                continue;
            }

            foreach (var side in new[] { session.Requester, session.Target })
            {
                if (side.Pending is not { } pending || pending.NextSend > now)
                {
                    continue;
                }

                if (pending.Attempts >= options.IntroductionAttempts)
                {
                    side.Pending = null;
                    Finish(session, RendezvousSessionState.Failed, now, side.Identity,
                        $"{side.Identity.Name} at {pending.To} did not acknowledge the introduction after {pending.Attempts} attempts: it is gone or its NAT dropped the mapping");
                    break;
                }

                sender.Send(pending.Datagram, pending.To);
                pending.Attempts++;
                pending.Interval *= 2;
                pending.NextSend = now + pending.Interval;
            }
        }

        // A session that still relays is in use however long ago its last report was.
        foreach (var session in _sessions.Values.Where(s => !s.IsActive && now - s.LastChange >= options.SessionRetention && relay?.IsForwarding(s.Id) != true).ToList())
        {
            _sessions.Remove(session.Id);
            ReleasePair(session);
            relay?.Free(session.Id, now, "session forgotten after its retention");
        }
    }

    /// <summary>Whether a peer can be introduced: its mapping is known, or cannot be (no alternate port), or the grace for reporting it is over.</summary>
    private bool KnowsMapping(RegisteredPeer peer, DateTimeOffset now) =>
        peer.Mapping != NatMapping.Unknown || options.AlternatePort is null || now - peer.RegisteredAt >= options.MappingGrace;

    /// <summary>A session is stale for a new connect request when either side is no longer where it was introduced.</summary>
    private bool IsStale(RendezvousSession session, RegisteredPeer requester)
    {
        var side = session.SideOf(requester.Identity)!;
        var other = session.OtherSide(side);
        var otherNow = registry.Find(other.Identity);
        return (side.IntroducedAt is not null && !side.IntroducedAt.Equals(requester.PublicEndPoint))
            || (other.IntroducedAt is not null && otherNow is not null && !other.IntroducedAt.Equals(otherNow.PublicEndPoint));
    }

    private bool TryIntroduce(RendezvousSession session, DateTimeOffset now, IDatagramSender sender)
    {
        var requester = registry.Find(session.Requester.Identity);
        var target = registry.Find(session.Target.Identity);
        if (requester is null || target is null || requester.ExpiresAt <= now || target.ExpiresAt <= now
            || !KnowsMapping(requester, now) || !KnowsMapping(target, now))
        {
            return false;
        }

        var requesterCandidates = IntroductionCandidates.Of(requester, target);
        var targetCandidates = IntroductionCandidates.Of(target, requester);
        // Both sides frame their data with this channel from the start, relayed or direct, so a switch of path changes no framing.
        ushort? channel = relay?.Allocate(session, requester.PublicEndPoint, target.PublicEndPoint, now);
        SendIntroduction(session, session.Requester, session.Target, requester, targetCandidates, target, controlling: true, channel, now, sender);
        SendIntroduction(session, session.Target, session.Requester, target, requesterCandidates, requester, controlling: false, channel, now, sender);
        session.State = RendezvousSessionState.Introduced;
        stats?.Introduced();
        session.IntroducedTime ??= now;
        session.LastChange = now;
        events.TryPublish(IntroductionEvent.Of(session, requester, requesterCandidates, target, targetCandidates, channel, now));
        return true;
    }

    private void SendIntroduction(RendezvousSession session, SessionSide side, SessionSide other, RegisteredPeer to, ImmutableArray<Candidate> otherCandidates, RegisteredPeer otherPeer, bool controlling, ushort? relayChannel, DateTimeOffset now, IDatagramSender sender)
    {
        // The other side's filtering lets this side's strategy see whether its new ports get in (PunchStrategies.Choose).
        var introduction = new Introduction(TransactionId.NewRandom(), session.Id, other.Identity.Name, controlling, side.Credentials, other.Credentials, otherCandidates,
            otherPeer.Mapping, relayChannel, otherPeer.Nat.Filtering);
        var buffer = new byte[StunConstants.MaxMessageLength];
        // Retransmissions resend these bytes, timestamp included: peers allow for that (PeerHost.IntroductionMaxAge).
        int length = introduction.WriteTo(buffer, keys.SignatureFor(session.Network, now));
        side.IntroducedAt = to.PublicEndPoint;
        side.Acknowledged = false;
        side.Pending = new PendingIntroduction(introduction.TransactionId, buffer[..length], to.PublicEndPoint, now + options.IntroductionRetransmit, options.IntroductionRetransmit);
        sender.Send(side.Pending.Datagram, to.PublicEndPoint);
    }

    private void Finish(RendezvousSession session, RendezvousSessionState state, DateTimeOffset now, PeerIdentity about, string reason)
    {
        if (state == RendezvousSessionState.Failed && session.CurrentPath is null)
        {
            stats?.SessionFailed();
        }

        session.State = state;
        session.LastChange = now;
        session.Requester.Pending = null;
        session.Target.Pending = null;
        ReleasePair(session);
        relay?.Free(session.Id, now, reason);
        PublishEnded(session, state == RendezvousSessionState.Failed ? PunchEventKind.Failed : PunchEventKind.Closed, about, now, reason);
    }

    private void ReleasePair(RendezvousSession session)
    {
        var key = PairKey(session.Requester.Identity, session.Target.Identity);
        if (_currentByPair.TryGetValue(key, out var active) && active == session)
        {
            _currentByPair.Remove(key);
        }
    }

    private void PublishStep(RendezvousSession session, PunchEventKind kind, PeerIdentity about, DateTimeOffset now) =>
        events.TryPublish(new SessionStep(kind) { At = now, Network = session.Network, Peer = about.Name, OtherPeer = OtherPeerOf(session, about), SessionId = session.Id.ToString() });

    private void PublishEnded(RendezvousSession session, PunchEventKind kind, PeerIdentity about, DateTimeOffset now, string reason) =>
        events.TryPublish(new SessionEnded(kind) { At = now, Network = session.Network, Peer = about.Name, OtherPeer = OtherPeerOf(session, about), SessionId = session.Id.ToString(), Reason = reason });

    private static string? OtherPeerOf(RendezvousSession session, PeerIdentity about) =>
        session.SideOf(about) is { } side ? session.OtherSide(side).Identity.Name : null;

    private static (string, string, string) PairKey(PeerIdentity a, PeerIdentity b) =>
        string.CompareOrdinal(a.Name, b.Name) <= 0 ? (a.Network, a.Name, b.Name) : (a.Network, b.Name, a.Name);
}
