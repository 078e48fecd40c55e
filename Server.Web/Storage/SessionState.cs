namespace Punch.Server.Storage;

/// <summary>Where a session stands. Ordered by progress; Failed and Closed are outcomes.</summary>
public enum SessionState
{
    Requested,
    Introduced,
    Punching,
    /// <summary>Connected through the server's relay (punching failed, is still going on, or the direct path died).</summary>
    Relayed,
    /// <summary>Connected over a direct path.</summary>
    Direct,
    Failed,
    Closed,
}
