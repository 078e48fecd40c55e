using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Punching;
using Punch.Peer.Output;
using Punch.Peer.PortMapping;

namespace Punch.Peer.Hosting;

/// <param name="NetworkKey">The network's signing key (derived from <c>--key</c>), or null in an open network.</param>
/// <param name="Paths">Whether sessions relay, punch, or both (<c>--relay-only</c>, <c>--direct-only</c>).</param>
/// <param name="LoseTraffic">Test hook: true for an endpoint whose datagrams to and from the main socket are lost, as if a NAT dropped them.</param>
/// <param name="DiscoverNat">Run NAT behaviour discovery against the server at start (<see cref="Punch.Peer.Rendezvous.RegistrationDiscovery"/>).</param>
/// <param name="PortMapping">Ask the router for a port mapping at start and keep it (<see cref="PortMappingKeeper"/>); null: do not.</param>
internal sealed record PeerHostSettings(
    IPEndPoint Server, PeerIdentity Identity, IPEndPoint Bind, TimeProvider Time, IPeerEventSink Events,
    Func<PunchOptions> SessionOptions, bool EchoMessages, byte[]? NetworkKey = null,
    PathPolicy Paths = PathPolicy.RelayThenDirect, Func<IPEndPoint, bool>? LoseTraffic = null, bool DiscoverNat = true, PortMappingSettings? PortMapping = null);
