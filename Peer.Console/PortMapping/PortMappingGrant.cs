using System.Net;

namespace Punch.Peer.PortMapping;

/// <summary>
/// A mapping the router granted: <paramref name="External"/> reaches our <paramref name="InternalPort"/> for
/// <paramref name="Lifetime"/>. <paramref name="Handle"/> is what the client needs to renew or delete it
/// (the PCP nonce, the UPnP control URL), opaque to everyone else.
/// </summary>
internal sealed record PortMappingGrant(PortMappingMethod Method, IPEndPoint External, ushort InternalPort, TimeSpan Lifetime, object? Handle = null);
