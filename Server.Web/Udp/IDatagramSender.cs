using System.Net;

namespace Punch.Server.Udp;

/// <summary>Sends one datagram from the rendezvous socket. Never blocks (UDP).</summary>
public interface IDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram, IPEndPoint to);
}
