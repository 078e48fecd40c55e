namespace Punch.Server.Events;

/// <summary>An event about one session: the projector finds (or starts) the session row by its id.</summary>
public abstract record SessionEvent : PunchEvent
{
    /// <summary>The session id (e.g. "7f3a9c21e0b4d5f6").</summary>
    public required string SessionId { get; init; }
    /// <summary>The other peer of the pair; null when the publisher no longer knows which side the peer was.</summary>
    public string? OtherPeer { get; init; }

    protected StoredEvent WithSession(StoredEvent common) => common with { SessionId = SessionId, OtherPeer = OtherPeer };
}
