using System.Net;

namespace Punch.Server.Rendezvous;

/// <summary>Where the rendezvous actually listens (after binding port 0, the port the OS chose).</summary>
public sealed class RendezvousEndpoint
{
    public IPEndPoint? LocalEndPoint { get; internal set; }

    /// <summary>The probe port's endpoint, when one is configured.</summary>
    public IPEndPoint? ProbeEndPoint { get; internal set; }

    /// <summary>The configured public IPv4 and IPv6 addresses (<see cref="RendezvousOptions.PublicAddressV4"/>, <see cref="RendezvousOptions.PublicAddressV6"/>); null when not set.</summary>
    internal IPAddress? PublicV4 { get; set; }

    internal IPAddress? PublicV6 { get; set; }

    /// <summary>Where a peer whose request came from <paramref name="from"/> reaches this server in the other family: the announced address and the main port as bound.</summary>
    public IPEndPoint? OtherFamilyThan(IPEndPoint from)
    {
        var address = from.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? PublicV6 : PublicV4;
        return address is not null && LocalEndPoint is { } local ? new IPEndPoint(address, local.Port) : null;
    }
}
