using System.Net;
using Punch.Core.Peering;
using Punch.Core.Protocol;

namespace Punch.Peer.Sessions;

/// <summary>What the <see cref="PathSwitch"/> tells its session.</summary>
internal interface IPathListener
{
    /// <summary>Frames now go over <paramref name="path"/>; <paramref name="previous"/> is null for the session's first path.</summary>
    void OnPathChanged(ActivePath path, PathKind? previous, string? reason);

    /// <summary>Punching gave up, but the relay carries the traffic; <paramref name="retryIn"/> is when punching starts again, if ever.</summary>
    void OnPunchingFailed(string reason, TimeSpan? retryIn);

    /// <summary>No path is left and none is coming: the session fails (<paramref name="hadPath"/>: after it had one).</summary>
    void OnNoPath(string reason, bool hadPath);

    /// <summary>A frame arrived on one of port prediction's extra sockets (the path may be on one).</summary>
    bool TryHandleFrame(int socket, IPEndPoint from, in PeerFrame frame);

    /// <summary>A stream packet (Core/Streams) arrived on one of port prediction's extra sockets.</summary>
    bool TryHandleStreamPacket(int socket, IPEndPoint from, ReadOnlySpan<byte> datagram);
}
