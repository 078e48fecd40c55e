namespace Punch.Server.Storage;

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
