using Punch.Core.Protocol;

namespace Punch.Core.Discovery;

public static class NatBehaviourExtensions
{
    /// <summary>Punch's registration carries the coarse <see cref="NatMapping"/>: any dependence on the destination breaks server-reflexive candidates.</summary>
    public static NatMapping ToNatMapping(this NatBehaviour mapping) => mapping switch
    {
        NatBehaviour.EndpointIndependent => NatMapping.EndpointIndependent,
        NatBehaviour.AddressDependent or NatBehaviour.AddressAndPortDependent => NatMapping.EndpointDependent,
        _ => NatMapping.Unknown,
    };

    /// <summary>The words RFC 4787 uses, lower case with hyphens (JSON and human output).</summary>
    public static string Text(this NatBehaviour behaviour) => behaviour switch
    {
        NatBehaviour.EndpointIndependent => "endpoint-independent",
        NatBehaviour.AddressDependent => "address-dependent",
        NatBehaviour.AddressAndPortDependent => "address-and-port-dependent",
        _ => "unknown",
    };
}
