using System.Net;

namespace Punch.Core.Tests.Punching;

/// <summary>A datagram on its way through the <see cref="SimulatedNetwork"/>.</summary>
internal sealed record Packet(IPEndPoint From, IPEndPoint To, byte[] Datagram, DateTimeOffset DeliverAt);
