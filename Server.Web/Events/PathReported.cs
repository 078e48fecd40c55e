namespace Punch.Server.Events;

/// <summary>
/// <see cref="PunchEventKind.PathUp"/> (a peer reports a working path) or <see cref="PunchEventKind.PathChanged"/>
/// (the server's view: the session's path changed on that report). The same data: PathChanged is the
/// first report of a new path, without the check counts, which only the peer's own report has.
/// </summary>
public sealed record PathReported : SessionReport
{
    public PathReported(PunchEventKind kind) => Kind = OneOf(kind, PunchEventKind.PathUp, PunchEventKind.PathChanged);

    public override PunchEventKind Kind { get; }
    /// <summary>"direct" or "relayed".</summary>
    public string? PathKind { get; init; }
    /// <summary>The endpoint the reporting peer sends to.</summary>
    public string? RemoteEndpoint { get; init; }
    /// <summary>Milliseconds from introduction to the path, measured by the peer.</summary>
    public double? ElapsedMs { get; init; }
    /// <summary>Round-trip time of the nominating check, in milliseconds.</summary>
    public double? RttMs { get; init; }
    /// <summary>Null on PathChanged.</summary>
    public int? ChecksSent { get; init; }
    public int? ChecksReceived { get; init; }

    protected override StoredEvent Describe(StoredEvent common) => WithReport(common) with
    {
        PathKind = PathKind,
        RemoteEndpoint = RemoteEndpoint,
        ElapsedMs = ElapsedMs,
        RttMs = RttMs,
        ChecksSent = ChecksSent,
        ChecksReceived = ChecksReceived,
    };
}
