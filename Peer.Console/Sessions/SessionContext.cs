using Punch.Core.Protocol;
using Punch.Peer.Hosting;
using Punch.Peer.Output;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Sessions;

/// <summary>What every session of one peer shares: the main socket (<see cref="Sender"/>) and the pool port prediction takes extra sockets from.</summary>
internal sealed record SessionContext(
    PeerIdentity Self, ISharedSocketSender Sender, SocketPool Sockets, RendezvousClient Rendezvous, IPeerEventSink Events, TimeProvider Time);
