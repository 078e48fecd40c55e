using Microsoft.Extensions.Options;
using Punch.Server.Rendezvous;

namespace Punch.Server.Relay;

/// <summary>What the relay page and <c>GET /api/relay</c> read: in memory, live (relay traffic is counters, not events).</summary>
public sealed class RelayView(SessionRelay relay, RelayStats stats, IOptions<RendezvousOptions> rendezvous)
{
    public RelaySnapshot Snapshot() => new(stats.Snapshot(), rendezvous.Value.MaxRelayAllocations, relay.Snapshot());
}
