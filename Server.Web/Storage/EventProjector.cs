using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>
/// Applies one event to the current-state tables (Peers, Sessions) inside the writer's transaction.
/// The rows come from the <see cref="ProjectionBatch"/> (loaded with one query per table for the whole
/// batch), so several events about the same peer or session in one batch see each other's changes
/// before anything is saved, and no event costs a query of its own.
/// </summary>
public static class EventProjector
{
    public static void Apply(ProjectionBatch db, PunchEvent e)
    {
        switch (e)
        {
            case PeerRegistered registered: PeerRegistered(db, registered); break;
            case PeerRefreshed refreshed: PeerRefreshed(db, refreshed); break;
            case PeerGone gone: PeerGone(db, gone); break;
            case SessionStep { Kind: PunchEventKind.ConnectRequested } requested: GetOrStartSession(db, requested); break;
            case SessionStep punching: SessionPunching(db, punching); break;
            case SessionIntroduced introduced: SessionIntroduced(db, introduced); break;
            case ChecksSummarized summary: ChecksSummarized(db, summary); break;
            case PathReported { Kind: PunchEventKind.PathUp } pathUp: PathUp(db, pathUp); break;
            case PathReported changed: PathChanged(db, changed); break;
            case SessionEnded { Kind: PunchEventKind.Failed } failed: SessionFailed(db, failed); break;
            case SessionEnded closed: SessionClosed(db, closed); break;
            case RelayEvent relay: RelayCounters(db, relay); break;
                // Rejected and the expose kinds change no state: logged only.
        }

        // Any report kind may carry the peer's byte counts.
        if (e is SessionReport report && (report.BytesDirect is not null || report.BytesRelayed is not null))
        {
            ByteCounters(db, report);
        }
    }

    private static void PeerRegistered(ProjectionBatch db, PeerRegistered e)
    {
        var peer = db.FindPeer(e.Network, e.Peer);
        if (peer is null)
        {
            peer = new PeerRecord { Network = e.Network, Name = e.Peer, FirstSeen = e.At };
            db.AddPeer(peer);
        }
        peer.Online = true;
        peer.LastSeen = e.At;
        peer.PublicEndpoint = e.PublicEndpoint ?? peer.PublicEndpoint;
        ApplyNat(peer, e.Nat);
        if (e.Candidates is not null)
        {
            peer.Candidates = CandidateList.Join(e.Candidates);
        }
    }

    private static void PeerRefreshed(ProjectionBatch db, PeerRefreshed e)
    {
        var peer = db.FindPeer(e.Network, e.Peer);
        if (peer is null)
        {
            return; // A refresh of a peer we never saw registered: nothing to update.
        }

        peer.LastSeen = e.At;
        peer.Online = true;
        peer.PublicEndpoint = e.PublicEndpoint ?? peer.PublicEndpoint;
        // Peers measure their mapping just after registering and report it in the next refresh;
        // later refreshes may carry none, which must not forget what was measured.
        ApplyNat(peer, e.Nat);
    }

    private static void PeerGone(ProjectionBatch db, PeerGone e)
    {
        if (db.FindPeer(e.Network, e.Peer) is { } peer)
        {
            peer.Online = false;
        }
    }

    private static void SessionIntroduced(ProjectionBatch db, SessionIntroduced e)
    {
        if (GetOrStartSession(db, e) is not { } session)
        {
            return;
        }

        session.IntroducedAt ??= e.At;
        ApplyIntroduction(session, e);
        Advance(session, SessionState.Introduced);
    }

    private static void SessionPunching(ProjectionBatch db, SessionStep e)
    {
        if (GetOrStartSession(db, e) is { } session)
        {
            Advance(session, SessionState.Punching);
        }
    }

    /// <summary>Each peer sends one summary per attempt: the session shows both sides' totals.</summary>
    private static void ChecksSummarized(ProjectionBatch db, ChecksSummarized e)
    {
        if (GetOrStartSession(db, e) is not { } session)
        {
            return;
        }

        session.ChecksSent += e.ChecksSent;
        session.ChecksReceived += e.ChecksReceived;
    }

    private static void PathUp(ProjectionBatch db, PathReported e)
    {
        if (GetOrStartSession(db, e) is { } session)
        {
            ApplyPathUp(session, e);
        }
    }

    private static void SessionFailed(ProjectionBatch db, SessionEnded e)
    {
        if (GetOrStartSession(db, e) is not { } session)
        {
            return;
        }
        // Kept apart from FailureReason: a session that then connects through the relay still shows why punching failed.
        session.PunchFailureReason = e.Reason ?? session.PunchFailureReason;
        // The other side may already have a working path: a path (direct or relayed) wins over one side's failure.
        if (session.State is SessionState.Direct or SessionState.Relayed or SessionState.Closed)
        {
            return;
        }

        session.State = SessionState.Failed;
        session.FailureReason = e.Reason ?? session.FailureReason;
    }

    private static void SessionClosed(ProjectionBatch db, SessionEnded e)
    {
        if (GetOrStartSession(db, e) is not { } session || session.State == SessionState.Closed)
        {
            return;
        }

        session.State = SessionState.Closed;
        session.ClosedAt = e.At;
    }

    /// <summary>The session's current path, as the server decided from both sides' reports.</summary>
    private static void PathChanged(ProjectionBatch db, PathReported e)
    {
        if (GetOrStartSession(db, e) is not { } session)
        {
            return;
        }

        session.PathKind = e.PathKind ?? session.PathKind;
        session.PathChangedAt = e.At;
        session.PathChanges++;
        SetConnected(session);
    }

    private static void ApplyPathUp(SessionRecord session, PathReported e)
    {
        if (session.ConnectedAt is null)
        {
            // The first side to report decides when the path came up and how good it was.
            session.ConnectedAt = e.At;
            session.TimeToConnectMs = e.ElapsedMs;
            session.RttMs = e.RttMs;
        }
        // The session's current path is decided by PathChanged (the server's view of both sides' reports); a lone PathUp only starts it.
        session.PathKind ??= e.PathKind;
        if (e.Peer == session.PeerA)
        {
            session.RemoteEndpointA = e.RemoteEndpoint ?? session.RemoteEndpointA;
        }
        else
        {
            session.RemoteEndpointB = e.RemoteEndpoint ?? session.RemoteEndpointB;
        }

        SetConnected(session);
    }

    private static void SetConnected(SessionRecord session)
    {
        if (session.State != SessionState.Closed)
        {
            session.State = session.PathKind == "relayed" ? SessionState.Relayed : SessionState.Direct;
            session.FailureReason = null;
        }
    }

    /// <summary>The relay's channel and byte count (a running total: the newest, largest, stands).</summary>
    private static void RelayCounters(ProjectionBatch db, RelayEvent e)
    {
        if (GetOrStartSession(db, e) is { } session)
        {
            session.RelayChannel = e.RelayChannel ?? session.RelayChannel;
            session.RelayBytes = Math.Max(session.RelayBytes, e.RelayBytes ?? 0);
        }
    }

    /// <summary>The byte counts a report carries, each a running total of the reporting side: the newest, largest, stands.</summary>
    private static void ByteCounters(ProjectionBatch db, SessionReport e)
    {
        if (GetOrStartSession(db, e) is not { } session)
        {
            return;
        }

        if (e.Peer == session.PeerA)
        {
            session.BytesDirectA = Math.Max(session.BytesDirectA, e.BytesDirect ?? 0);
            session.BytesRelayedA = Math.Max(session.BytesRelayedA, e.BytesRelayed ?? 0);
        }
        else
        {
            session.BytesDirectB = Math.Max(session.BytesDirectB, e.BytesDirect ?? 0);
            session.BytesRelayedB = Math.Max(session.BytesRelayedB, e.BytesRelayed ?? 0);
        }
    }

    /// <summary>
    /// What the server knew when it introduced the pair: each side's NAT mapping and the candidates it
    /// handed out. A re-introduction (a peer's public endpoint changed) replaces them with the newer ones.
    /// </summary>
    private static void ApplyIntroduction(SessionRecord session, SessionIntroduced e)
    {
        // The Introduced event is told from the requester's side; the session's A is the requester.
        var requesterIsA = e.Peer == session.PeerA;
        var mappingA = requesterIsA ? e.NatMapping : e.OtherNatMapping;
        var mappingB = requesterIsA ? e.OtherNatMapping : e.NatMapping;
        session.NatMappingA = mappingA ?? session.NatMappingA;
        session.NatMappingB = mappingB ?? session.NatMappingB;
        session.NatFilteringA = (requesterIsA ? e.NatFiltering : e.OtherNatFiltering) ?? session.NatFilteringA;
        session.NatFilteringB = (requesterIsA ? e.OtherNatFiltering : e.NatFiltering) ?? session.NatFilteringB;
        if (e.Candidates is not null)
        {
            session.Candidates = CandidateList.Join(e.Candidates);
        }
    }

    /// <summary>What the peer reported of its NAT; a part an event does not carry is kept (discovery reports in a later refresh).</summary>
    private static void ApplyNat(PeerRecord peer, NatReportText nat)
    {
        peer.NatMapping = nat.Mapping ?? peer.NatMapping;
        peer.NatFiltering = nat.Filtering ?? peer.NatFiltering;
        peer.Hairpinning = nat.Hairpinning ?? peer.Hairpinning;
        peer.PortPreserved = nat.PortPreserved ?? peer.PortPreserved;
    }

    /// <summary>Moves forward only: a late Introduced must not undo Punching or Direct.</summary>
    private static void Advance(SessionRecord session, SessionState next)
    {
        if (session.State < next && session.State is not (SessionState.Failed or SessionState.Closed))
        {
            session.State = next;
        }
    }

    /// <summary>
    /// The session of a session event; created when the id is new (normally by ConnectRequested, but a
    /// session whose request was dropped still shows up). Null when the event carries no session id.
    /// </summary>
    private static SessionRecord? GetOrStartSession(ProjectionBatch db, SessionEvent e)
    {
        if (string.IsNullOrEmpty(e.SessionId))
        {
            return null;
        }

        var session = db.FindSession(e.SessionId);
        if (session is not null)
        {
            return session;
        }

        session = new SessionRecord
        {
            Id = e.SessionId,
            Network = e.Network,
            PeerA = e.Peer,
            PeerB = e.OtherPeer ?? "",
            State = SessionState.Requested,
            RequestedAt = e.At,
        };
        db.AddSession(session);
        return session;
    }
}
