using System.Net;

namespace Punch.Core.Tests.Punching;

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
