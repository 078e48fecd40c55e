namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.ConnectRequested"/> or <see cref="PunchEventKind.Punching"/>: the session moved on; nothing else to say.</summary>
public sealed record SessionStep : SessionEvent
{
    public SessionStep(PunchEventKind kind) => Kind = OneOf(kind, PunchEventKind.ConnectRequested, PunchEventKind.Punching);

    public override PunchEventKind Kind { get; }

    protected override StoredEvent Describe(StoredEvent common) => WithSession(common);
}
