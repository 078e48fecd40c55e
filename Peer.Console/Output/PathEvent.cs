using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Output;

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
