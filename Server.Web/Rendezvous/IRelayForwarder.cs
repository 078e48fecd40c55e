using System.Net;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous;

/// <summary>The relay's data plane as the main listener sees it: it takes relay frames before the STUN handler does.</summary>
public interface IRelayForwarder
{
    /// <summary>True when the datagram was a relay frame (forwarded or dropped); false leaves it to the STUN handler.</summary>
    bool TryForward(ReadOnlySpan<byte> datagram, SocketAddress from, IRawDatagramSender sender);
}
