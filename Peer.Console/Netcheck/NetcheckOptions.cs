using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Punch.Peer.Netcheck;

/// <summary>What <c>punch netcheck</c> was asked for.</summary>
public sealed record NetcheckOptions(IPEndPoint Server, IPEndPoint Bind, bool Json, TimeSpan? LifetimeMax);
