using System.Net;
using Punch.Core.Protocol;
using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary><c>punch forward</c> listens on <see cref="Listen"/>; connections there go to <see cref="Peer"/>'s service.</summary>
public sealed record ForwardingEvent(string Peer, SessionId SessionId, IPEndPoint Listen) : PeerEvent
{
    public override string EventName => "forwarding";
}
