using System.Net;
using Punch.Core.PortMapping;

namespace Punch.Peer.PortMapping;

/// <summary>
/// Where and how long to ask. Every address and port is a parameter so tests can point the clients at loopback.
/// On a network without any mapping service PCP then NAT-PMP (each ending at once when the gateway answers ICMP port
/// unreachable) run alongside UPnP's SSDP search, so the cost is the longest of the two, half a second.
/// </summary>
internal sealed record PortMappingSettings(IPEndPoint? Gateway, IPEndPoint SsdpTarget)
{
    public static readonly TimeSpan DefaultPcpWait = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan DefaultNatPmpWait = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan DefaultSsdpWait = TimeSpan.FromMilliseconds(500);

    public TimeSpan PcpWait { get; init; } = DefaultPcpWait;
    public TimeSpan NatPmpWait { get; init; } = DefaultNatPmpWait;
    public TimeSpan SsdpWait { get; init; } = DefaultSsdpWait;

    /// <summary>Per HTTP request to a gateway that did answer SSDP (description, SOAP).</summary>
    public TimeSpan HttpWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>RFC 6886 §3.3 recommends 7200 s; renewed at half of what is granted.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(7200);

    /// <summary>The longest a try of all three can take when no gateway answers anything.</summary>
    public TimeSpan DiscoveryBudget => PcpWait + NatPmpWait > SsdpWait ? PcpWait + NatPmpWait : SsdpWait;

    /// <summary>The real network: the default route's gateway on port 5351, and the SSDP multicast group.</summary>
    public static PortMappingSettings ForThisHost() => new(
        DefaultGateway.Find() is { } gateway ? new IPEndPoint(gateway, NatPmp.ServerPort) : null,
        new IPEndPoint(IPAddress.Parse(SsdpResponse.MulticastAddress), SsdpResponse.Port));

    public IReadOnlyList<IPortMappingClient> CreateClients(PortMappingCounters counters)
    {
        var clients = new List<IPortMappingClient>();
        if (Gateway is { } gateway)
        {
            clients.Add(new PcpClient(gateway, PcpWait, counters));
            clients.Add(new NatPmpClient(gateway, NatPmpWait, counters));
        }

        clients.Add(new UpnpIgdClient(SsdpTarget, SsdpWait, HttpWait, counters));
        return clients;
    }
}
