using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Peer.Output;

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
