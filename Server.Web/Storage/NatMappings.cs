namespace Punch.Server.Storage;

/// <summary>
/// The NAT mapping values the rendezvous puts into events (see <c>RendezvousHandler.MappingText</c>);
/// a test keeps the two in step.
/// </summary>
public static class NatMappings
{
    public const string EndpointIndependent = "endpoint-independent";
    public const string EndpointDependent = "endpoint-dependent";
}
