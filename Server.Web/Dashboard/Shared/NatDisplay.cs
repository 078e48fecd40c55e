using MudBlazor;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard.Shared;

/// <summary>
/// How NAT mappings read on the dashboard. Users know "cone" and "symmetric"; the tooltips give the
/// RFC 4787 terms the rendezvous and the peer output use, so the two can be matched up.
/// </summary>
public static class NatDisplay
{
    public const string Cone = "cone";
    public const string Symmetric = "symmetric";
    public const string Unknown = "unknown";

    public static string Label(string? mapping) => mapping switch
    {
        NatMappings.EndpointIndependent => Cone,
        NatMappings.EndpointDependent => Symmetric,
        _ => Unknown,
    };

    public static string Description(string? mapping) => mapping switch
    {
        NatMappings.EndpointIndependent =>
            "Endpoint-independent mapping (RFC 4787 §4.1): the NAT reuses the same public address and port "
            + "for every destination (full, restricted or port-restricted cone, or no NAT).",
        NatMappings.EndpointDependent =>
            "Address- or address-and-port-dependent mapping (RFC 4787 §4.1): the NAT picks a new public port "
            + "for each destination (symmetric). Punching needs port prediction, and needs a relay when the other side is symmetric too.",
        _ => "Not measured (yet): a peer measures its NAT mapping right after it registers and reports it in its next refresh.",
    };

    public static Color ChipColor(string? mapping) => mapping switch
    {
        NatMappings.EndpointIndependent => Color.Success,
        NatMappings.EndpointDependent => Color.Warning,
        _ => Color.Default,
    };

    /// <summary>"cone ↔ symmetric": peer A's mapping first, as the pair column reads "A → B".</summary>
    public static string Pair(string? mappingA, string? mappingB) => $"{Label(mappingA)} ↔ {Label(mappingB)}";

    /// <summary>Both sides in RFC 4787 terms, for the pair's tooltip.</summary>
    public static string PairDescription(SessionView session) =>
        $"{session.PeerA}: {Description(session.NatMappingA)}\n{session.PeerB}: {Description(session.NatMappingB)}";
}
