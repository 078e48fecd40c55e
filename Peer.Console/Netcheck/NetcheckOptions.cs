using System.Net;

namespace Punch.Peer.Netcheck;

/// <summary>What <c>punch netcheck</c> was asked for.</summary>
public sealed record NetcheckOptions(IPEndPoint Server, IPEndPoint Bind, bool Json, TimeSpan? LifetimeMax);
