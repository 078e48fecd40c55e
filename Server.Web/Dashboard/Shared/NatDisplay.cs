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

    /// <summary>A NAT type's tooltip: mapping and filtering in RFC 4787 terms, and what they mean for punching.</summary>
    public static string TypeDescription(string? mapping, string? filtering) =>
        $"{NatTypes.Name(mapping, filtering)}: mapping {mapping ?? "unknown"}, filtering {filtering ?? "unknown"} (RFC 4787 §4.1, §5). "
        + (NatTypes.Name(mapping, filtering) switch
        {
            NatTypes.FullCone => "Anyone may send to its public endpoint: even a symmetric peer punches through without port prediction.",
            NatTypes.AddressRestrictedCone => "Any port of an address it sent to gets in: a symmetric peer punches through without port prediction.",
            NatTypes.PortRestrictedCone => "Only endpoints it sent to get in: against a symmetric peer, punching needs port prediction.",
            NatTypes.Symmetric => "A new public port per destination: punching needs port prediction against a port-restricted cone, and a relay against another symmetric NAT.",
            NatTypes.Cone => "Filtering not reported: punching assumes port-restricted.",
            _ => "Not measured (yet): a peer discovers its NAT as it registers and reports it in a refresh.",
        });

    /// <summary>Hairpinning and port preservation in a few words; null when neither is known.</summary>
    public static string? Extras(bool? hairpinning, bool? portPreserved)
    {
        var parts = new List<string>();
        if (hairpinning is { } hairpin)
        {
            parts.Add(hairpin ? "hairpin" : "no hairpin");
        }

        if (portPreserved is { } preserved)
        {
            parts.Add(preserved ? "port preserved" : "port changed");
        }

        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }

    /// <summary>"cone ↔ symmetric": peer A's mapping first, as the pair column reads "A → B".</summary>
    public static string Pair(string? mappingA, string? mappingB) => $"{Label(mappingA)} ↔ {Label(mappingB)}";

    /// <summary>Both sides in RFC 4787 terms, for the pair's tooltip.</summary>
    public static string PairDescription(SessionView session) =>
        $"{session.PeerA}: {Description(session.NatMappingA)}\n{session.PeerB}: {Description(session.NatMappingB)}";
}
