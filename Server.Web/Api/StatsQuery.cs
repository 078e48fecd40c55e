using Punch.Server.Rendezvous;
using Punch.Server.Security;
using Punch.Server.Storage;

namespace Punch.Server.Api;

/// <summary>Puts the live counters beside what the database says, for <c>GET /api/stats</c> and the overview alike.</summary>
public sealed class StatsQuery(PunchQueries queries, RendezvousStats rendezvous, HttpLimitStats httpLimits)
{
    public async Task<PunchStats> GetAsync(CancellationToken cancellationToken) =>
        new(rendezvous.Snapshot(), await queries.GetStatsAsync(cancellationToken))
        {
            HttpRequestsRateLimited = httpLimits.RejectedCount,
            HttpRequestsCrossSiteRefused = httpLimits.CrossSiteRefusedCount,
        };
}
