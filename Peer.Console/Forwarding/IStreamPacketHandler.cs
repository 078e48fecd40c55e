using Punch.Peer.Sessions;

namespace Punch.Peer.Forwarding;

/// <summary>What a <see cref="PeerSession"/> hands stream packets and timer ticks to.</summary>
internal interface IStreamPacketHandler
{
    void OnDatagram(ReadOnlySpan<byte> datagram);
    void OnTimer();
    TimeSpan? NextDue();
    void OnPathChanged();
    void OnSessionEnded(string reason);
}
