using Punch.Server.Events;
using Punch.Server.Rendezvous;

namespace Punch.Server.Storage;

/// <summary>A peer as the API and the dashboard show it.</summary>
public sealed record PeerView(
    string Network,
    string Name,
    string? PublicEndpoint,
    IReadOnlyList<string> Candidates,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    bool Online,
    /// <summary>"endpoint-independent", "endpoint-dependent", or null when the peer has not measured it.</summary>
    string? NatMapping)
{
    /// <summary>"endpoint-independent", "address-dependent", "address-and-port-dependent", or null when the peer has not reported it.</summary>
    public string? NatFiltering { get; init; }
    public bool? Hairpinning { get; init; }
    public bool? PortPreserved { get; init; }
    /// <summary>The NAT as people name it ("full cone", "port-restricted cone", "symmetric", ...), from mapping and filtering.</summary>
    public string NatType => NatTypes.Name(NatMapping, NatFiltering);

    public static PeerView From(PeerRecord peer) => new(
        peer.Network, peer.Name, peer.PublicEndpoint, CandidateList.Split(peer.Candidates),
        peer.FirstSeen, peer.LastSeen, peer.Online, peer.NatMapping)
    {
        NatFiltering = peer.NatFiltering,
        Hairpinning = peer.Hairpinning,
        PortPreserved = peer.PortPreserved,
    };
}

/// <summary>A session as the API and the dashboard show it.</summary>
public sealed record SessionView(
    string Id,
    string Network,
    string PeerA,
    string PeerB,
    SessionState State,
    string? PathKind,
    string? RemoteEndpointA,
    string? RemoteEndpointB,
    DateTimeOffset RequestedAt,
    DateTimeOffset? IntroducedAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? ClosedAt,
    double? TimeToConnectMs,
    double? RttMs,
    int ChecksSent,
    int ChecksReceived,
    string? FailureReason,
    string? NatMappingA,
    string? NatMappingB,
    /// <summary>What the introduction handed out, each prefixed with its owner: "alice srflx 203.0.113.10:40000".</summary>
    IReadOnlyList<string> Candidates)
{
    /// <summary>The relay channel the introduction carried; null when the session is direct only.</summary>
    public int? RelayChannel { get; init; }
    /// <summary>Each side's NAT filtering when the pair was introduced; null when unknown.</summary>
    public string? NatFilteringA { get; init; }
    public string? NatFilteringB { get; init; }
    public string NatTypeA => NatTypes.Name(NatMappingA, NatFilteringA);
    public string NatTypeB => NatTypes.Name(NatMappingB, NatFilteringB);
    /// <summary>When the current path began, and how many times the path changed (the first path up included).</summary>
    public DateTimeOffset? PathChangedAt { get; init; }
    public int PathChanges { get; init; }
    /// <summary>Why punching failed, as a peer reported it; for a relayed session, why it is relayed.</summary>
    public string? PunchFailureReason { get; init; }
    /// <summary>Application bytes sent over the direct path and through the relay, both peers together, from their reports.</summary>
    public long BytesDirect { get; init; }
    public long BytesRelayed { get; init; }
    /// <summary>Bytes the relay forwarded for the session, as the server counted them.</summary>
    public long RelayBytes { get; init; }

    public static SessionView From(SessionRecord s) => new(
        s.Id, s.Network, s.PeerA, s.PeerB, s.State, s.PathKind, s.RemoteEndpointA, s.RemoteEndpointB,
        s.RequestedAt, s.IntroducedAt, s.ConnectedAt, s.ClosedAt, s.TimeToConnectMs, s.RttMs,
        s.ChecksSent, s.ChecksReceived, s.FailureReason, s.NatMappingA, s.NatMappingB, CandidateList.Split(s.Candidates))
    {
        RelayChannel = s.RelayChannel,
        NatFilteringA = s.NatFilteringA,
        NatFilteringB = s.NatFilteringB,
        PathChangedAt = s.PathChangedAt,
        PathChanges = s.PathChanges,
        PunchFailureReason = s.PunchFailureReason,
        BytesDirect = s.BytesDirectA + s.BytesDirectB,
        BytesRelayed = s.BytesRelayedA + s.BytesRelayedB,
        RelayBytes = s.RelayBytes,
    };
}

/// <summary>A session with its events in the order they were stored.</summary>
public sealed record SessionDetail(SessionView Session, IReadOnlyList<PunchEvent> Events);

/// <summary>What the overview and <c>GET /api/stats</c> show.</summary>
public sealed record PunchStats(
    RendezvousCounters Rendezvous,
    int PeersOnline,
    int PeersKnown,
    int SessionsTotal,
    int SessionsActive,
    int SessionsDirect,
    int SessionsFailed,
    long EventsStored,
    /// <summary>Share of decided sessions (ever direct, or failed) that got a direct path; null before any was decided.</summary>
    double? SuccessRate,
    /// <summary>How the online peers' NATs map (RFC 4787 §4.1).</summary>
    NatMappingCounts OnlineNatMappings)
{
    /// <summary>Sessions whose current path is the relay.</summary>
    public int SessionsRelayed { get; init; }

    /// <summary>Events stored, dropped at the full queue, and pruned since start; the retention settings.</summary>
    public StorageCounters? Storage { get; init; }

    /// <summary>HTTP requests the rate limiter turned away since start (filled in by <c>GET /api/stats</c>).</summary>
    public long HttpRequestsRateLimited { get; init; }

    /// <summary>HTTP requests refused as coming from another site (foreign Origin, or a change without X-Punch-Request), filled in by <c>GET /api/stats</c>.</summary>
    public long HttpRequestsCrossSiteRefused { get; init; }
}

/// <summary>Peers counted by NAT mapping: cone-like (endpoint-independent), symmetric (endpoint-dependent), not yet measured.</summary>
public sealed record NatMappingCounts(int EndpointIndependent, int EndpointDependent, int Unknown);

/// <summary>
/// The NAT mapping values the rendezvous puts into events (see <c>RendezvousHandler.MappingText</c>);
/// a test keeps the two in step.
/// </summary>
public static class NatMappings
{
    public const string EndpointIndependent = "endpoint-independent";
    public const string EndpointDependent = "endpoint-dependent";
}

/// <summary>The filtering values the rendezvous puts into events (RFC 4787 §5 words, <c>NatBehaviourExtensions.Text</c>).</summary>
public static class NatFilterings
{
    public const string EndpointIndependent = "endpoint-independent";
    public const string AddressDependent = "address-dependent";
    public const string AddressAndPortDependent = "address-and-port-dependent";
}

/// <summary>
/// The classic names for a mapping and a filtering together (RFC 4787 §4.1 and §5; RFC 3489's cone names):
/// endpoint-independent mapping with endpoint-independent filtering is a full cone, with address-dependent an
/// address-restricted cone, with address-and-port-dependent a port-restricted cone; endpoint-dependent mapping is
/// symmetric whatever it filters.
/// </summary>
public static class NatTypes
{
    public const string FullCone = "full cone";
    public const string AddressRestrictedCone = "address-restricted cone";
    public const string PortRestrictedCone = "port-restricted cone";
    public const string Symmetric = "symmetric";
    /// <summary>Endpoint-independent mapping, filtering not reported (an older peer, or discovery not settled).</summary>
    public const string Cone = "cone";
    public const string Unknown = "unknown";

    public static string Name(string? mapping, string? filtering) => (mapping, filtering) switch
    {
        (NatMappings.EndpointDependent, _) => Symmetric,
        (NatMappings.EndpointIndependent, NatFilterings.EndpointIndependent) => FullCone,
        (NatMappings.EndpointIndependent, NatFilterings.AddressDependent) => AddressRestrictedCone,
        (NatMappings.EndpointIndependent, NatFilterings.AddressAndPortDependent) => PortRestrictedCone,
        (NatMappings.EndpointIndependent, _) => Cone,
        _ => Unknown,
    };
}
