namespace Punch.Server.Storage;

/// <summary>The filtering values the rendezvous puts into events (RFC 4787 §5 words, <c>NatBehaviourExtensions.Text</c>).</summary>
public static class NatFilterings
{
    public const string EndpointIndependent = "endpoint-independent";
    public const string AddressDependent = "address-dependent";
    public const string AddressAndPortDependent = "address-and-port-dependent";
}
