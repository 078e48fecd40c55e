using System.Net;

namespace Punch.Core.Tests.Punching;

/// <summary>
/// A NAT in front of one <see cref="SimulatedPeer"/>, in RFC 4787 terms: it rewrites the source of what
/// leaves (mapping) and decides what may come in (filtering). Endpoints are just values; no sockets.
/// </summary>
internal abstract class SimulatedNat(IPAddress publicAddress)
{
    public IPAddress PublicAddress { get; } = publicAddress;

    /// <summary>Inbound packets the NAT dropped: no mapping on that port, or the filter refused the sender.</summary>
    public int Dropped { get; private set; }

    /// <summary>The public endpoint a packet from <paramref name="inside"/> to <paramref name="destination"/> leaves with; creates the mapping and opens the filter.</summary>
    public abstract IPEndPoint Outbound(IPEndPoint inside, IPEndPoint destination);

    /// <summary>The inside endpoint a packet from <paramref name="from"/> to public port <paramref name="publicPort"/> goes to, or null when dropped.</summary>
    public IPEndPoint? Inbound(IPEndPoint from, int publicPort)
    {
        var inside = Admit(from, publicPort);
        if (inside is null)
        {
            Dropped++;
        }

        return inside;
    }

    protected abstract IPEndPoint? Admit(IPEndPoint from, int publicPort);
}
