namespace Punch.Server.Relay;

/// <summary>The relay page's and <c>GET /api/relay</c>'s whole answer.</summary>
public sealed record RelaySnapshot(RelayCounters Counters, int MaxAllocations, IReadOnlyList<RelayAllocationView> Allocations);
