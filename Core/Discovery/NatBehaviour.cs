namespace Punch.Core.Discovery;

/// <summary>
/// RFC 4787's three behaviours, for mapping (§4.1) and for filtering (§5), as RFC 5780 §4.3/§4.4 tell them apart.
/// </summary>
public enum NatBehaviour : byte
{
    Unknown = 0,
    EndpointIndependent = 1,
    AddressDependent = 2,
    AddressAndPortDependent = 3,
}
