using System.Net;

namespace Punch.Core.Punching;

/// <summary>A path was nominated and confirmed both ways, on local socket <paramref name="Socket"/>; other extra sockets can be closed.</summary>
public sealed record PathUp(IPEndPoint Remote, TimeSpan Elapsed, TimeSpan RoundTripTime, int Socket = 0) : PunchAction;
