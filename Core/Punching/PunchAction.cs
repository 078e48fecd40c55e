using System.Net;

namespace Punch.Core.Punching;

/// <summary>What the socket loop driving a <see cref="PunchSession"/> must do.</summary>
public abstract record PunchAction;

/// <summary>Send these bytes to that endpoint.</summary>
public sealed record SendDatagram(IPEndPoint To, byte[] Datagram) : PunchAction;

/// <summary>A path was nominated and confirmed both ways.</summary>
public sealed record PathUp(IPEndPoint Remote, TimeSpan Elapsed, TimeSpan RoundTripTime) : PunchAction;

/// <summary>No path came up before the timeout.</summary>
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
