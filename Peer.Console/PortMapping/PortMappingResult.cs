namespace Punch.Peer.PortMapping;

/// <summary>What asking the router gave: every protocol's try, in order, and the grant (the first one that mapped).</summary>
internal sealed record PortMappingResult(IReadOnlyList<PortMappingAttempt> Attempts, PortMappingGrant? Grant, IPortMappingClient? Client);
