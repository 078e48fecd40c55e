using System.Net;
using Punch.Core.Protocol;

namespace Punch.Peer.Sessions;

/// <summary>The path a session's frames go over right now. For a relayed path <see cref="Remote"/> is the server's relay.</summary>
internal sealed record ActivePath(PathKind Kind, IPEndPoint Remote, int Socket, TimeSpan Elapsed, TimeSpan RoundTripTime, CandidateKind Candidate = CandidateKind.Relayed);
