using Punch.Core.Protocol;
using Punch.Server.Events;

namespace Punch.Server.Rendezvous;

/// <summary>The events a peer's report about its session becomes on the timeline.</summary>
public sealed class ReportEvents(ReportRequest report, RendezvousSession session, SessionSide side, DateTimeOffset now)
{
    /// <summary>A report without application bytes stores none rather than zeros (older peers send none).</summary>
    private readonly bool _hasBytes = report.BytesDirect > 0 || report.BytesRelayed > 0;

    /// <summary>The report itself: the path that came up, the failure or close, or a plain check summary.</summary>
    public SessionReport Outcome() => report.Outcome switch
    {
        SessionOutcome.PathUp => Path(PunchEventKind.PathUp) with { ChecksSent = report.ChecksSent, ChecksReceived = report.ChecksReceived },
        SessionOutcome.Failed or SessionOutcome.Closed => new SessionEnded(report.Outcome == SessionOutcome.Failed ? PunchEventKind.Failed : PunchEventKind.Closed)
        {
            At = now,
            Network = session.Network,
            Peer = report.Peer.Name,
            OtherPeer = OtherPeer,
            SessionId = session.Id.ToString(),
            Reason = report.Reason,
            ElapsedMs = report.Elapsed?.TotalMilliseconds,
            ChecksSent = report.ChecksSent,
            ChecksReceived = report.ChecksReceived,
            BytesDirect = BytesDirect,
            BytesRelayed = BytesRelayed,
        },
        _ => ChecksSummary(),
    };

    /// <summary>
    /// The end of punching (a direct path up, or failure) is also the side's check traffic summary: the timeline
    /// shows it as its own event and the session totals add up from these.
    /// </summary>
    public ChecksSummarized ChecksSummary() => new()
    {
        At = now,
        Network = session.Network,
        Peer = report.Peer.Name,
        OtherPeer = OtherPeer,
        SessionId = session.Id.ToString(),
        ElapsedMs = report.Elapsed?.TotalMilliseconds,
        ChecksSent = report.ChecksSent,
        ChecksReceived = report.ChecksReceived,
        BytesDirect = BytesDirect,
        BytesRelayed = BytesRelayed,
    };

    /// <summary>The session's path changed on this PathUp report; the check counts stay with the peer's own report.</summary>
    public PathReported PathChanged() => Path(PunchEventKind.PathChanged);

    /// <summary>A relayed PathUp comes before any check got through, so it does not end punching.</summary>
    public static bool EndsPunching(ReportRequest report) =>
        (report.Outcome == SessionOutcome.PathUp && report.PathKind == PathKind.Direct) || report.Outcome == SessionOutcome.Failed;

    /// <summary>How events and the dashboard name a path kind.</summary>
    public static string? PathText(PathKind? path) => path switch { PathKind.Direct => "direct", PathKind.Relayed => "relayed", _ => null };

    private string OtherPeer => session.OtherSide(side).Identity.Name;

    private long? BytesDirect => _hasBytes ? report.BytesDirect : null;

    private long? BytesRelayed => _hasBytes ? report.BytesRelayed : null;

    private PathReported Path(PunchEventKind kind) => new(kind)
    {
        At = now,
        Network = session.Network,
        Peer = report.Peer.Name,
        OtherPeer = OtherPeer,
        SessionId = session.Id.ToString(),
        PathKind = PathText(report.PathKind),
        RemoteEndpoint = report.RemoteEndPoint?.ToString(),
        ElapsedMs = report.Elapsed?.TotalMilliseconds,
        RttMs = report.RoundTripTime?.TotalMilliseconds,
        BytesDirect = BytesDirect,
        BytesRelayed = BytesRelayed,
    };
}
