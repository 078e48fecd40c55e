namespace Punch.Lab.Tests.Topology;

/// <summary>The NAT behaviours the lab builds, in RFC 4787 terms (§4.1 mapping, §5 filtering).</summary>
public enum NatKind
{
    /// <summary>Endpoint-independent mapping and filtering ("full cone").</summary>
    FullCone,

    /// <summary>Endpoint-independent mapping, address-dependent filtering.</summary>
    AddressRestricted,

    /// <summary>Endpoint-independent mapping, address-and-port-dependent filtering: Linux MASQUERADE.</summary>
    PortRestricted,

    /// <summary>Address-and-port-dependent mapping and filtering: MASQUERADE with fully random ports.</summary>
    Symmetric,
}
