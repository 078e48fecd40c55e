using System.Net;

namespace Punch.Core.Punching;

/// <summary>A working path went silent for longer than the path timeout.</summary>
public sealed record PathLost(IPEndPoint Remote, string Reason) : PunchAction;
