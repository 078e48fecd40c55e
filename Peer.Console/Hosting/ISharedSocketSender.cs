using System.Net;

namespace Punch.Peer.Hosting;

/// <summary>The one socket everything goes out of: server requests, checks and frames share it so the NAT mapping the server sees is the one the peer uses.</summary>
internal interface ISharedSocketSender
{
    void Send(IPEndPoint to, ReadOnlySpan<byte> datagram);
}
