using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Peer.Output;

/// <summary>
/// Something a peer did or saw. Each event is one JSON line under <c>--json</c> (schema in
/// docs/peer-json.md) and one short sentence otherwise; tests can also observe them directly.
/// </summary>
public abstract record PeerEvent
{
    /// <summary>The value of the JSON <c>event</c> field.</summary>
    public abstract string EventName { get; }
}

/// <summary>
/// The server accepted us; <see cref="Mapping"/> is how our NAT maps the socket, measured against the server's probe port,
/// <see cref="Nat"/> what discovery found of the rest by then (the server has both).
/// </summary>
public sealed record RegisteredEvent(PeerIdentity Identity, IPEndPoint PublicEndPoint, TimeSpan Lifetime, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default) : PeerEvent
{
    public override string EventName => "registered";
}

/// <summary>NAT behaviour discovery at start-up is over (RFC 5780 against the rendezvous server); <see cref="Notes"/> say why a part stayed unknown.</summary>
public sealed record NatDiscoveredEvent(NatReport Nat, IReadOnlyList<string> Notes) : PeerEvent
{
    public override string EventName => "nat";
}

public sealed record WaitingEvent(string Peer) : PeerEvent
{
    public override string EventName => "waiting";
}

/// <summary>
/// The server introduced a peer. <see cref="Strategy"/> follows from both NAT mappings;
/// <see cref="PredictionCount"/> is how many sockets (open-many-sockets) or ports (spray-ports) port prediction uses.
/// </summary>
public sealed record IntroducedEvent(
    string Peer, SessionId SessionId, bool Controlling, IReadOnlyList<Candidate> Candidates,
    NatMapping RemoteMapping = NatMapping.Unknown, PunchStrategy Strategy = PunchStrategy.Regular, int PredictionCount = 0,
    Core.Discovery.NatBehaviour RemoteFiltering = Core.Discovery.NatBehaviour.Unknown) : PeerEvent
{
    public override string EventName => "introduced";
}

/// <summary>
/// Traffic of a session now goes over this path: the first path of the session (<see cref="Previous"/>
/// null), or a move between the relay and the direct path, with <see cref="Reason"/> saying why.
/// <see cref="Remote"/> is the peer's endpoint on a direct path and the server's relay on a relayed one;
/// <see cref="Socket"/> is the local socket it uses (0 = main, above 0 = a port prediction socket);
/// <see cref="Candidate"/> the kind of the remote candidate that won (relay on the relayed path).
/// </summary>
public sealed record PathEvent(
    string Peer, SessionId SessionId, PathKind Kind, IPEndPoint Remote, TimeSpan Elapsed, TimeSpan RoundTripTime, int Socket = 0,
    PathKind? Previous = null, string? Reason = null, CandidateKind Candidate = CandidateKind.Relayed) : PeerEvent
{
    public override string EventName => "path";
}

public sealed record PongEvent(string Peer, SessionId SessionId, uint Sequence, TimeSpan RoundTripTime) : PeerEvent
{
    public override string EventName => "pong";
}

/// <summary>All pings of a <c>--count</c> run are answered or given up on.</summary>
public sealed record PingsDoneEvent(string Peer, SessionId SessionId, PingSummary Summary) : PeerEvent
{
    public override string EventName => "done";
}

public sealed record MessageEvent(string Peer, SessionId SessionId, string Text) : PeerEvent
{
    public override string EventName => "message";
}

/// <summary>Something did not work; <see cref="Peer"/> and <see cref="SessionId"/> are set when it concerns one session.</summary>
public sealed record FailedEvent(string Reason, string? Peer = null, SessionId? SessionId = null) : PeerEvent
{
    public override string EventName => "failed";
}

/// <summary>A session ended (either side closed it), or, without a peer, this peer left the server.</summary>
public sealed record ClosedEvent(string Reason, string? Peer = null, SessionId? SessionId = null) : PeerEvent
{
    public override string EventName => "closed";
}

/// <summary>Worth knowing but not fatal (the server stopped answering refreshes, a message was never acknowledged).</summary>
public sealed record WarningEvent(string Text) : PeerEvent
{
    public override string EventName => "warning";
}

public sealed record PingSummary(int Sent, int Received, TimeSpan? Min, TimeSpan? Average, TimeSpan? Max)
{
    public int Lost => Sent - Received;
}
