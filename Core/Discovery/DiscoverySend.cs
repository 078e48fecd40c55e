using System.Net;

namespace Punch.Core.Discovery;

/// <summary>One datagram the driver must send from local socket <paramref name="Socket"/> (numbered as <see cref="DiscoverySockets"/> says).</summary>
public readonly record struct DiscoverySend(int Socket, IPEndPoint To, byte[] Datagram);
