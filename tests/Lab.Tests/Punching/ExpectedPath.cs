namespace Punch.Lab.Tests.Punching;

public enum ExpectedPath
{
    Direct,

    /// <summary>Connected through the server's relay: no direct path is possible, so the session stays relayed.</summary>
    Relayed,

    /// <summary>No path: what a pair that can only be relayed gets with <c>--direct-only</c>.</summary>
    Failed,
}
