using System.Globalization;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Peer.Output;

/// <summary>Short sentences for people: what happened, with whom, where, how long. Problems go to the error writer.</summary>
public sealed class HumanSink(TextWriter output, TextWriter error) : IPeerEventSink
{
    private readonly Lock _gate = new();

    public void Emit(PeerEvent peerEvent)
    {
        bool isProblem = peerEvent is FailedEvent or WarningEvent or PortMapping.PortMappingEvent { State: "lost" } or Forwarding.TunnelEvent { State: "failed" };
        string line = Format(peerEvent);
        lock (_gate)
        {
            var writer = isProblem ? error : output;
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    public static string Format(PeerEvent peerEvent) => peerEvent switch
    {
        RegisteredEvent e => $"registered as {e.Identity}; the server sees us at {e.PublicEndPoint}{(e.OtherFamilyPublicEndPoint is { } other ? $" and {other}" : string.Empty)} (registration lifetime {e.Lifetime.TotalSeconds:0} s); "
            + $"NAT: {PunchStrategies.Describe(e.Mapping)}, {Filtering(e.Nat)}",
        NatDiscoveredEvent e => $"NAT discovery: {Filtering(e.Nat)}, hairpinning {Flag(e.Nat.Hairpinning)}, port preservation {Flag(e.Nat.PortPreserved)}"
            + (e.Notes.Count == 0 ? string.Empty : $" ({string.Join("; ", e.Notes)})"),
        WaitingEvent e => $"waiting for {e.Peer} to register",
        IntroducedEvent e => $"introduced to {e.Peer} (session {e.SessionId}, {(e.Controlling ? "controlling" : "controlled")}), "
            + $"{e.Candidates.Count} candidate(s): {string.Join(", ", e.Candidates)}" + StrategyLine(e),
        PathEvent { Previous: null } e => $"{JsonLinesSink.PathKindName(e.Kind)} path to {e.Peer} {Where(e)} up after {Ms(e.Elapsed)} (rtt {Ms(e.RoundTripTime)})"
            + (e.Reason is null ? string.Empty : $"; {e.Reason}"),
        PathEvent e => $"traffic to {e.Peer} moved to the {JsonLinesSink.PathKindName(e.Kind)} path {Where(e)} after {Ms(e.Elapsed)}: {e.Reason ?? "no reason given"}",
        PongEvent e => $"pong {e.Sequence} from {e.Peer}: {Ms(e.RoundTripTime)}",
        PingsDoneEvent e => e.Summary.Received == 0
            ? $"no pong from {e.Peer}: {e.Summary.Sent} ping(s) lost"
            : $"{e.Summary.Received}/{e.Summary.Sent} pongs from {e.Peer}, rtt min/avg/max {Number(e.Summary.Min)}/{Number(e.Summary.Average)}/{Number(e.Summary.Max)} ms",
        MessageEvent e => $"{e.Peer}: {e.Text}",
        FailedEvent e => e.Peer is null ? $"failed: {e.Reason}" : $"failed ({e.Peer}): {e.Reason}",
        ClosedEvent e => e.Peer is null ? $"closed: {e.Reason}" : $"closed session with {e.Peer}: {e.Reason}",
        WarningEvent e => $"warning: {e.Text}",
        PortMapping.PortMappingEvent e => e.HumanText,
        Forwarding.ForwardingEvent e => $"forwarding connections to {e.Listen} to {e.Peer} (encrypted end to end)",
        Forwarding.ExposingEvent e => $"exposing {e.Local} as {e.Name}: peers running punch forward reach it",
        Forwarding.StreamsUpEvent e => $"encrypted stream connection with {e.Peer} is up",
        Forwarding.TunnelEvent { State: "opened" } e => $"connection {e.Stream} with {e.Peer} opened ({e.Endpoint})",
        Forwarding.TunnelEvent e => $"connection {e.Stream} with {e.Peer} ({e.Endpoint}) {e.State}: {e.BytesIn} bytes in, {e.BytesOut} out"
            + (e.Reason is null ? string.Empty : $"; {e.Reason}"),
        _ => peerEvent.ToString(),
    };

    private static string Where(PathEvent e) => e.Kind == PathKind.Relayed
        ? $"via the relay at {e.Remote}"
        : $"at {e.Remote} ({Candidate.KindName(e.Candidate)}, {(AddressScope.IsIPv6(e.Remote) ? "IPv6" : "IPv4")})";

    private static string Ms(TimeSpan? span) => Number(span) + " ms";

    private static string Filtering(NatReport nat) => $"{nat.Filtering.Text()} filtering";

    private static string Flag(bool? flag) => flag switch { true => "yes", false => "no", null => "unknown" };

    /// <summary>Milliseconds with two decimals below 10 ms (loopback and LAN), whole above.</summary>
    private static string Number(TimeSpan? span) => span is { } value
        ? value.TotalMilliseconds.ToString(value.TotalMilliseconds < 10 ? "0.00" : "0", CultureInfo.InvariantCulture)
        : "-";

    /// <summary>A second line when punching is not the regular kind, so a slow or failed punch explains itself.</summary>
    private static string StrategyLine(IntroducedEvent e) => e.Strategy switch
    {
        PunchStrategy.OpenManySockets => $"{Environment.NewLine}you are behind a symmetric NAT: opening {e.PredictionCount} sockets for {e.Peer}'s probes to find",
        PunchStrategy.SprayPorts => $"{Environment.NewLine}{e.Peer} is behind a symmetric NAT: probing {e.PredictionCount} of its ports",
        PunchStrategy.Impossible => $"{Environment.NewLine}{e.Peer} is behind a symmetric NAT and so are you: no direct path possible",
        _ => string.Empty,
    };
}
