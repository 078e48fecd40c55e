namespace Punch.Server.Events;

/// <summary>
/// <see cref="PunchEventKind.Failed"/> or <see cref="PunchEventKind.Closed"/>, from a peer's report or from the
/// server (a deadline passed, a peer went away). The check counts and time are the reporting peer's; null when
/// the server ended the session.
/// </summary>
public sealed record SessionEnded : SessionReport
{
    public SessionEnded(PunchEventKind kind) => Kind = OneOf(kind, PunchEventKind.Failed, PunchEventKind.Closed);

    public override PunchEventKind Kind { get; }
    public string? Reason { get; init; }
    public double? ElapsedMs { get; init; }
    public int? ChecksSent { get; init; }
    public int? ChecksReceived { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => WithReport(common) with
    {
        Reason = Reason,
        ElapsedMs = ElapsedMs,
        ChecksSent = ChecksSent,
        ChecksReceived = ChecksReceived,
    };
}
