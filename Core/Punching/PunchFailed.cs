namespace Punch.Core.Punching;

/// <summary>No path came up before the timeout (or none can: both sides symmetric).</summary>
public sealed record PunchFailed(string Reason, TimeSpan Elapsed) : PunchAction;
