using System.Net;
using Punch.Core.Discovery;

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

/// <summary>
/// Address-and-port-dependent mapping and filtering, ports chosen at random from 1024-65535 (Linux
/// <c>masquerade random-fully</c>): every (inside endpoint, destination) gets a fresh public port,
/// and only that destination may answer on it.
/// </summary>
internal sealed class SymmetricNat(IPAddress publicAddress, Random random) : SimulatedNat(publicAddress)
{
    public const int LowestPort = 1024;

    private readonly Dictionary<(IPEndPoint Inside, IPEndPoint Destination), int> _ports = [];
    private readonly Dictionary<int, (IPEndPoint Inside, IPEndPoint Destination)> _mappings = [];

    public int MappingCount => _mappings.Count;

    /// <summary>The public endpoint of an existing mapping, or null (never creates one).</summary>
    public IPEndPoint? Mapped(IPEndPoint inside, IPEndPoint destination) =>
        _ports.TryGetValue((inside, destination), out int port) ? new IPEndPoint(PublicAddress, port) : null;

    public override IPEndPoint Outbound(IPEndPoint inside, IPEndPoint destination)
    {
        if (!_ports.TryGetValue((inside, destination), out int port))
        {
            do
            {
                port = random.Next(LowestPort, ushort.MaxValue + 1);
            }
            while (_mappings.ContainsKey(port));

            _ports[(inside, destination)] = port;
            _mappings[port] = (inside, destination);
        }

        return new IPEndPoint(PublicAddress, port);
    }

    protected override IPEndPoint? Admit(IPEndPoint from, int publicPort) =>
        _mappings.TryGetValue(publicPort, out var mapping) && mapping.Destination.Equals(from) ? mapping.Inside : null;
}

/// <summary>
/// Endpoint-independent mapping (the inside port is kept when free) with address-and-port-dependent
/// filtering by default (Linux <c>masquerade</c>, a "port-restricted cone"): one public port per inside
/// endpoint whatever the destination, open only to endpoints it has sent to. With <paramref name="filtering"/>
/// address-dependent it admits any port of an address it sent to (address-restricted cone), with
/// endpoint-independent anyone (full cone).
/// </summary>
internal sealed class PortRestrictedConeNat(IPAddress publicAddress, NatBehaviour filtering = NatBehaviour.AddressAndPortDependent) : SimulatedNat(publicAddress)
{
    private readonly Dictionary<IPEndPoint, int> _ports = [];
    private readonly Dictionary<int, (IPEndPoint Inside, HashSet<IPEndPoint> Contacted)> _mappings = [];

    public override IPEndPoint Outbound(IPEndPoint inside, IPEndPoint destination)
    {
        if (!_ports.TryGetValue(inside, out int port))
        {
            port = inside.Port;
            while (_mappings.ContainsKey(port))
            {
                port = port == ushort.MaxValue ? SymmetricNat.LowestPort : port + 1;
            }

            _ports[inside] = port;
            _mappings[port] = (inside, []);
        }

        _mappings[port].Contacted.Add(destination);
        return new IPEndPoint(PublicAddress, port);
    }

    protected override IPEndPoint? Admit(IPEndPoint from, int publicPort) =>
        _mappings.TryGetValue(publicPort, out var mapping) && filtering switch
        {
            NatBehaviour.EndpointIndependent => true,
            NatBehaviour.AddressDependent => mapping.Contacted.Any(c => c.Address.Equals(from.Address)),
            _ => mapping.Contacted.Contains(from),
        }
            ? mapping.Inside
            : null;
}
