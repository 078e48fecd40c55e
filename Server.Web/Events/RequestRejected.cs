namespace Punch.Server.Events;

/// <summary><see cref="PunchEventKind.Rejected"/>: a request (register, connect, expose) was refused.</summary>
public sealed record RequestRejected : PunchEvent
{
    public override PunchEventKind Kind => PunchEventKind.Rejected;
    /// <summary>Where the request came from.</summary>
    public required string PublicEndpoint { get; init; }
    /// <summary>Why, in words a person can act on.</summary>
    public required string Reason { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => common with { PublicEndpoint = PublicEndpoint, Reason = Reason };
}
