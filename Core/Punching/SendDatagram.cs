using System.Net;

namespace Punch.Core.Punching;

/// <summary>Send these bytes to that endpoint from local socket <paramref name="Socket"/> (0 is the peer's main socket).</summary>
public sealed record SendDatagram(IPEndPoint To, byte[] Datagram, int Socket = 0) : PunchAction;
