namespace Punch.Server.Storage;

/// <summary>The columns of a session that say how it ended and how long its direct path took: what the matrix and the charts read.</summary>
public sealed record SessionTiming(
    DateTimeOffset RequestedAt, SessionState State, string? PathKind,
    DateTimeOffset IntroducedAt, double? TimeToConnectMs, DateTimeOffset? PathChangedAt, int PathChanges)
{
    /// <summary>
    /// From the introduction to the direct path: what the peer reported when the direct path was the first path
    /// (one change: the first path up), else when the server saw the path change to direct (sessions start on
    /// the relay while punching goes on).
    /// </summary>
    public double? TimeToDirectMs => PathChanges <= 1 && TimeToConnectMs is { } reported
        ? reported
        : PathChangedAt is { } changed ? (changed - IntroducedAt).TotalMilliseconds : null;
}
