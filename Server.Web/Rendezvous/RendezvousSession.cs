using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

public enum RendezvousSessionState
{
    /// <summary>Asked for; waiting for the target to register.</summary>
    Requested,
    /// <summary>Introductions sent, not yet acknowledged by both.</summary>
    Introduced,
    /// <summary>Both acknowledged: the peers are checking.</summary>
    Punching,
    /// <summary>
    /// A side reported a path up, relayed or direct. The other side may still be waiting for its
    /// introduction (lost, being retransmitted): a relayed path comes up within a round trip of one
    /// side's introduction, so retransmission goes on in this state too.
    /// </summary>
    Connected,
    Failed,
    Closed,
}

/// <summary>One side of a session as the server introduced it.</summary>
public sealed class SessionSide(PeerIdentity identity)
{
    public PeerIdentity Identity { get; } = identity;
    public IceCredentials Credentials { get; } = NewCredentials();
    public IPEndPoint? IntroducedAt { get; set; }
    public PendingIntroduction? Pending { get; set; }
    public bool Acknowledged { get; set; }
    public bool Reported { get; set; }

    /// <summary>Reports already applied: a retransmitted report (its answer was lost) is answered again but not counted twice.</summary>
    public HashSet<TransactionId> HandledReports { get; } = [];

    /// <summary>RFC 8445 §5.3: ufrag of at least 24 bits and password of at least 128 bits of randomness.</summary>
    private static IceCredentials NewCredentials() =>
        new(RandomNumberGenerator.GetHexString(8, lowercase: true), RandomNumberGenerator.GetHexString(32, lowercase: true));
}

/// <summary>An introduction on its way to one side, retransmitted until acknowledged.</summary>
public sealed class PendingIntroduction(TransactionId transactionId, byte[] datagram, IPEndPoint to, DateTimeOffset nextSend, TimeSpan interval)
{
    public TransactionId TransactionId { get; } = transactionId;
    public byte[] Datagram { get; } = datagram;
    public IPEndPoint To { get; } = to;
    public DateTimeOffset NextSend { get; set; } = nextSend;
    public TimeSpan Interval { get; set; } = interval;
    public int Attempts { get; set; } = 1;
}

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
