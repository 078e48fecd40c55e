using System.Net;
using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

/// <summary>A session between two peers of one network, as the rendezvous tracks it in memory.</summary>
public sealed class RendezvousSession(SessionId id, PeerIdentity requester, PeerIdentity target, DateTimeOffset requestedAt, IPAddress requesterAddress)
{
    public SessionId Id { get; } = id;

    /// <summary>The public address the connect request came from: per-address caps count the session against it.</summary>
    public IPAddress RequesterAddress { get; } = requesterAddress;

    /// <summary>When the introductions first went out; <see cref="RendezvousOptions.PunchTimeout"/> runs from here. Null before.</summary>
    public DateTimeOffset? IntroducedTime { get; set; }
    /// <summary>The peer that asked first; it is the controlling agent (RFC 8445 §6.1.1).</summary>
    public SessionSide Requester { get; } = new(requester);
    public SessionSide Target { get; } = new(target);
    public DateTimeOffset RequestedAt { get; } = requestedAt;
    public DateTimeOffset LastChange { get; set; } = requestedAt;
    public RendezvousSessionState State { get; set; } = RendezvousSessionState.Requested;

    /// <summary>The path the peers last reported (PathUp); null before any. A report of another kind is a path change.</summary>
    public PathKind? CurrentPath { get; set; }

    public string Network => Requester.Identity.Network;

    /// <summary>An introduction to either side still waits for its acknowledgement.</summary>
    public bool HasPendingIntroduction => Requester.Pending is not null || Target.Pending is not null;

    public bool IsActive => State is RendezvousSessionState.Requested or RendezvousSessionState.Introduced or RendezvousSessionState.Punching;

    /// <summary>Not failed or closed: the session holds a slot under the session caps.</summary>
    public bool IsLive => State is not (RendezvousSessionState.Failed or RendezvousSessionState.Closed);

    public SessionSide? SideOf(PeerIdentity identity) =>
        Requester.Identity == identity ? Requester : Target.Identity == identity ? Target : null;

    public SessionSide OtherSide(SessionSide side) => side == Requester ? Target : Requester;
}
