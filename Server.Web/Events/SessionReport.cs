namespace Punch.Server.Events;

/// <summary>
/// What a peer's report says about its session. Every report may carry the application bytes the peer sent
/// so far (running totals: the projector keeps the largest); null when the report had none.
/// </summary>
public abstract record SessionReport : SessionEvent
{
    /// <summary>Application bytes the reporting peer sent over the direct path so far.</summary>
    public long? BytesDirect { get; init; }
    /// <summary>Application bytes the reporting peer sent through the relay so far.</summary>
    public long? BytesRelayed { get; init; }

    protected StoredEvent WithReport(StoredEvent common) => WithSession(common) with { BytesDirect = BytesDirect, BytesRelayed = BytesRelayed };
}
