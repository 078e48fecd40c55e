namespace Punch.Server.Storage;

/// <summary>Peers counted by NAT mapping: cone-like (endpoint-independent), symmetric (endpoint-dependent), not yet measured.</summary>
public sealed record NatMappingCounts(int EndpointIndependent, int EndpointDependent, int Unknown);
