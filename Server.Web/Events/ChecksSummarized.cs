namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.ChecksSummary"/>: one side's connectivity check traffic for the attempt; the session totals add up from these.</summary>
public sealed record ChecksSummarized : SessionReport
{
    public override PunchEventKind Kind => PunchEventKind.ChecksSummary;
    /// <summary>Milliseconds from introduction to the end of punching, measured by the peer.</summary>
    public double? ElapsedMs { get; init; }
    public required int ChecksSent { get; init; }
    public required int ChecksReceived { get; init; }

    protected override StoredEvent Describe(StoredEvent common) =>
        WithReport(common) with { ElapsedMs = ElapsedMs, ChecksSent = ChecksSent, ChecksReceived = ChecksReceived };
}
