using Punch.Core.Punching;

namespace Punch.Peer.Sessions;

/// <summary>How the host's sessions are made: the punch options of the moment, the path policy, and whether lines are echoed (<c>punch listen</c>).</summary>
internal sealed record SessionSettings(Func<PunchOptions> Options, PathPolicy Paths, bool EchoMessages);
