using System.Net;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Hosting;

namespace Punch.Peer.Sessions;

/// <summary>
/// The sessions of one peer, by id: starts one for each new introduction, offers each datagram of the
/// main socket that may be a session's (a check, a stream packet, a frame) to them in turn, runs their
/// timers, and forgets an ended one after <see cref="EndedSessionRetention"/> (late copies of its
/// datagrams are still recognised, not counted as strangers, until then).
/// Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class SessionTable(SessionContext context, SessionSettings settings)
{
    private static readonly TimeSpan EndedSessionRetention = TimeSpan.FromSeconds(30);

    private readonly Dictionary<ulong, PeerSession> _sessions = [];

    /// <summary>A session was introduced and started (raised under the host's lock).</summary>
    public event Action<PeerSession>? Started;

    /// <summary>Starts the session of <paramref name="introduction"/> unless it exists (the server retransmits introductions); false when it did.</summary>
    public bool TryStart(Introduction introduction, NatType localNat)
    {
        if (_sessions.ContainsKey(introduction.SessionId.Value))
        {
            return false;
        }

        var session = new PeerSession(introduction, context, settings.Options(), localNat, settings.Paths) { EchoMessages = settings.EchoMessages };
        _sessions.Add(introduction.SessionId.Value, session);
        context.Events.Emit(session.Introduced);
        Started?.Invoke(session);
        session.Start();
        return true;
    }

    public void OnRelayClosed(SessionId id, string? reason)
    {
        if (_sessions.TryGetValue(id.Value, out var session))
        {
            session.OnRelayClosed(reason);
        }
    }

    public void CloseAll(string reason)
    {
        foreach (var session in _sessions.Values)
        {
            session.Close(reason);
        }
    }

    public bool TryHandleStun(IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.TryHandleStun(0, from, datagram))
            {
                return true;
            }
        }

        return false;
    }

    public bool TryHandleStreamPacket(IPEndPoint from, ReadOnlySpan<byte> datagram)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.TryHandleStreamPacket(0, from, datagram))
            {
                return true;
            }
        }

        return false;
    }

    public bool TryHandleFrame(IPEndPoint from, in PeerFrame frame)
    {
        foreach (var session in _sessions.Values)
        {
            if (session.TryHandleFrame(0, from, frame))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Runs every session's timers; returns when the next one is due.</summary>
    public TimeSpan? RunTimers()
    {
        TimeSpan? due = null;
        foreach (var session in _sessions.Values.ToList())
        {
            session.OnTimer();
            due = Deadline.Earliest(due, session.NextDue());
            if (session.EndedAt is { } endedAt && context.Time.HasPassed(context.Time.After(EndedSessionRetention, endedAt)))
            {
                _sessions.Remove(session.Id.Value);
            }
        }

        return due;
    }
}
