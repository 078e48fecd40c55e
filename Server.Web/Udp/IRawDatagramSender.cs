using System.Net;

namespace Punch.Server.Udp;

/// <summary>Sends to an address already in sockaddr form: the relay's per-datagram send allocates nothing.</summary>
public interface IRawDatagramSender : IDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram, SocketAddress to);
}
