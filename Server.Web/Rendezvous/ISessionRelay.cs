using System.Net;
using Punch.Core.Protocol;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>
/// The relay as the rendezvous drives it: a channel per introduced session, activation requests, path
/// reports and the periodic tick. Owned here and implemented by the Relay feature, so the rendezvous
/// does not depend on the relay's internals and the relay can use the rendezvous' session types.
/// </summary>
public interface ISessionRelay
{
    /// <summary>The session's channel (a re-introduction keeps it), or null when the relay is off or full: the session is direct only.</summary>
    ushort? Allocate(RendezvousSession session, IPEndPoint requesterEndPoint, IPEndPoint targetEndPoint, DateTimeOffset now);

    /// <summary>Answers a RelayActivate; returns the length of the reply written to <paramref name="reply"/>.</summary>
    int Activate(ReadOnlySpan<byte> datagram, IPEndPoint from, Span<byte> reply, int requestLength);

    /// <summary>A peer reports the path it now uses.</summary>
    void OnPathUp(SessionId sessionId, PathKind? path, DateTimeOffset now);

    /// <summary>Whether the session's relay forwards: a relayed session is in use however long no report arrives.</summary>
    bool IsForwarding(SessionId sessionId);

    /// <summary>The session ended: its channel is free for another.</summary>
    void Free(SessionId sessionId, DateTimeOffset now, string reason);

    /// <summary>Releases forwarding whose grace or idle time is over, telling both sides why.</summary>
    void Tick(IDatagramSender sender);
}
