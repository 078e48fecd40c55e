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
    // "endpoint-independent", "endpoint-dependent", or null when the peer has not measured it.
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
