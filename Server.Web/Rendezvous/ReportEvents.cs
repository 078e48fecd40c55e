using Punch.Core.Protocol;
using Punch.Server.Events;

namespace Punch.Server.Rendezvous;

/// <summary>The events a peer's report about its session becomes on the timeline.</summary>
public static class ReportEvents
{
    public static PunchEvent Of(ReportRequest report, RendezvousSession session, SessionSide side, DateTimeOffset now)
    {
        bool hasBytes = report.BytesDirect > 0 || report.BytesRelayed > 0;
        return new PunchEvent
        {
            Kind = report.Outcome switch
            {
                SessionOutcome.PathUp => PunchEventKind.PathUp,
                SessionOutcome.Failed => PunchEventKind.Failed,
                SessionOutcome.Closed => PunchEventKind.Closed,
                _ => PunchEventKind.ChecksSummary,
            },
            At = now,
            Network = session.Network,
            Peer = report.Peer.Name,
            OtherPeer = session.OtherSide(side).Identity.Name,
            SessionId = session.Id.ToString(),
            PathKind = PathText(report.PathKind),
            RemoteEndpoint = report.RemoteEndPoint?.ToString(),
            ElapsedMs = report.Elapsed?.TotalMilliseconds,
            RttMs = report.RoundTripTime?.TotalMilliseconds,
            ChecksSent = report.ChecksSent,
            ChecksReceived = report.ChecksReceived,
            Reason = report.Reason,
            BytesDirect = hasBytes ? report.BytesDirect : null,
            BytesRelayed = hasBytes ? report.BytesRelayed : null,
        };
    }

    /// <summary>
    /// The end of punching (a direct path up, or failure) is also the side's check traffic summary: the timeline
    /// shows it as its own event and the session totals add up from these. A relayed PathUp comes before any
    /// check got through, so it does not count.
    /// </summary>
    public static bool EndsPunching(ReportRequest report) =>
        (report.Outcome == SessionOutcome.PathUp && report.PathKind == PathKind.Direct) || report.Outcome == SessionOutcome.Failed;

    public static PunchEvent ChecksSummary(PunchEvent reported) =>
        reported with { Kind = PunchEventKind.ChecksSummary, PathKind = null, RemoteEndpoint = null, RttMs = null, Reason = null };

    /// <summary>How events and the dashboard name a path kind.</summary>
    public static string? PathText(PathKind? path) => path switch { PathKind.Direct => "direct", PathKind.Relayed => "relayed", _ => null };
}
