using System.Net;

namespace Punch.Core.Punching;

/// <summary>What the socket loop driving a <see cref="PunchSession"/> must do.</summary>
public abstract record PunchAction;

/// <summary>Send these bytes to that endpoint from local socket <paramref name="Socket"/> (0 is the peer's main socket).</summary>
public sealed record SendDatagram(IPEndPoint To, byte[] Datagram, int Socket = 0) : PunchAction;

/// <summary>
/// Open <paramref name="Count"/> more UDP sockets on the main socket's address, numbered 1..Count,
/// and feed what they receive to the session with their number. Port prediction on the side
/// behind an endpoint-dependent (symmetric) NAT needs them: every socket gets its own public port.
/// </summary>
public sealed record OpenSockets(int Count) : PunchAction;

/// <summary>A path was nominated and confirmed both ways, on local socket <paramref name="Socket"/>; other extra sockets can be closed.</summary>
public sealed record PathUp(IPEndPoint Remote, TimeSpan Elapsed, TimeSpan RoundTripTime, int Socket = 0) : PunchAction;

/// <summary>No path came up before the timeout (or none can: both sides symmetric).</summary>
public sealed record PunchFailed(string Reason, TimeSpan Elapsed) : PunchAction;

/// <summary>A working path went silent for longer than the path timeout.</summary>
public sealed record PathLost(IPEndPoint Remote, string Reason) : PunchAction;

public enum PunchState
{
    Checking,
    Connected,
    Failed,
    Lost,
}
