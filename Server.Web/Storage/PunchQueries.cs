using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>The read side, shared by the REST API and the dashboard so both show the same thing.</summary>
public sealed class PunchQueries(
    IDbContextFactory<PunchDbContext> contextFactory,
    StorageStats storageStats,
    IOptions<StorageOptions> storageOptions)
{
    public const int MaxPageSize = 1000;

    /// <summary>Longest search text: a peer name or network is at most 64 characters, so a longer one matches nothing anyway.</summary>
    public const int MaxPeerSearchLength = 64;

    /// <summary>
    /// Page <paramref name="page"/> (from 1) of the peers whose name or network contains <paramref name="search"/>
    /// (ASCII case-insensitive, as SQLite's LIKE), online first, then by network and name: the
    /// order is total, so consecutive pages neither repeat nor skip a peer that did not change.
    /// Reads one page and one count, never the whole table (a Peers page render with 100,000 peers
    /// read them all before; see docs/scale-benchmark.md).
    /// </summary>
    public async Task<PeerPage> GetPeerPageAsync(int page, int pageSize, string? search, CancellationToken cancellationToken)
    {
        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var matching = db.Peers.AsNoTracking();
        if (!string.IsNullOrEmpty(search))
        {
            var pattern = $"%{EscapeLike(search[..Math.Min(search.Length, MaxPeerSearchLength)])}%";
            matching = matching.Where(p => EF.Functions.Like(p.Name, pattern, LikeEscape) || EF.Functions.Like(p.Network, pattern, LikeEscape));
        }

        var total = await matching.CountAsync(cancellationToken);
        var peers = await matching
            .OrderByDescending(p => p.Online).ThenBy(p => p.Network).ThenBy(p => p.Name)
            .Skip((int)Math.Min((long)(page - 1) * pageSize, int.MaxValue)).Take(pageSize)
            .ToListAsync(cancellationToken);
        return new PeerPage(peers.ConvertAll(PeerView.From), total, page, pageSize);
    }

    private const string LikeEscape = "\\";

    /// <summary>'_' is a legal name character and a LIKE wildcard: searched for, it means itself.</summary>
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    public async Task<IReadOnlyList<SessionView>> GetSessionsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking()
            .OrderByDescending(s => s.RequestedAt).ThenBy(s => s.Id)
            .Take(Math.Clamp(limit, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return sessions.ConvertAll(SessionView.From);
    }

    public async Task<SessionDetail?> GetSessionAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null)
        {
            return null;
        }

        var events = await db.Events.AsNoTracking()
            .Where(e => e.SessionId == id).OrderBy(e => e.Id)
            .Take(MaxPageSize)
            .ToListAsync(cancellationToken);
        return new SessionDetail(SessionView.From(session), events.ConvertAll(e => e.ToStoredEvent()));
    }

    /// <summary>Events with an id above <paramref name="afterId"/>, oldest first: a client pages by passing the last id it saw.</summary>
    public async Task<IReadOnlyList<StoredEvent>> GetEventsAfterAsync(long afterId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking()
            .Where(e => e.Id > afterId).OrderBy(e => e.Id)
            .Take(Math.Clamp(limit, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return events.ConvertAll(e => e.ToStoredEvent());
    }

    /// <summary>The newest events, newest first.</summary>
    public async Task<IReadOnlyList<StoredEvent>> GetRecentEventsAsync(int count, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var events = await db.Events.AsNoTracking()
            .OrderByDescending(e => e.Id)
            .Take(Math.Clamp(count, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return events.ConvertAll(e => e.ToStoredEvent());
    }

    public async Task<StoredStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var peersOnline = await db.Peers.CountAsync(p => p.Online, cancellationToken);
        var peersKnown = await db.Peers.CountAsync(cancellationToken);
        var byState = await db.Sessions.GroupBy(s => s.State)
            .Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.State, g => g.Count, cancellationToken);
        // A closed session that had connected counts as a success.
        var everDirect = await db.Sessions.CountAsync(s => s.ConnectedAt != null, cancellationToken);
        var eventsStored = await db.Events.LongCountAsync(cancellationToken);
        var onlineByMapping = await db.Peers.Where(p => p.Online).GroupBy(p => p.NatMapping)
            .Select(g => new { Mapping = g.Key, Count = g.Count() })
            .ToListAsync(cancellationToken);

        int Count(SessionState state) => byState.GetValueOrDefault(state);
        var failed = Count(SessionState.Failed);
        var decided = everDirect + failed;
        return new StoredStats(
            peersOnline,
            peersKnown,
            SessionsTotal: byState.Values.Sum(),
            SessionsActive: Count(SessionState.Requested) + Count(SessionState.Introduced) + Count(SessionState.Punching) + Count(SessionState.Relayed) + Count(SessionState.Direct),
            SessionsDirect: Count(SessionState.Direct),
            SessionsFailed: failed,
            eventsStored,
            SuccessRate: decided == 0 ? null : (double)everDirect / decided,
            CountByMapping(onlineByMapping.Select(g => (g.Mapping, g.Count))))
        {
            SessionsRelayed = Count(SessionState.Relayed),
            Storage = storageStats.Snapshot(storageOptions.Value),
        };
    }

    /// <summary>Anything other than the two known values (including a value from a newer peer) counts as unknown.</summary>
    private static NatMappingCounts CountByMapping(IEnumerable<(string? Mapping, int Count)> groups)
    {
        int independent = 0, dependent = 0, unknown = 0;
        foreach (var (mapping, count) in groups)
        {
            switch (mapping)
            {
                case NatMappings.EndpointIndependent: independent += count; break;
                case NatMappings.EndpointDependent: dependent += count; break;
                default: unknown += count; break;
            }
        }
        return new NatMappingCounts(independent, dependent, unknown);
    }
}
