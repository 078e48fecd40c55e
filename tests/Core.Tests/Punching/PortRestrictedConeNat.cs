using System.Net;
using Punch.Core.Discovery;

namespace Punch.Core.Tests.Punching;

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
