using System.Collections.Immutable;
using Microsoft.EntityFrameworkCore;

namespace Punch.Server.Storage;

/// <summary>
/// The NAT pair matrix and its click-through: sessions grouped by the NAT types both peers reported. Read
/// by the dashboard's NAT pairs page and <c>GET /api/nat-pairs</c>, so both show the same numbers.
/// </summary>
public sealed class NatPairQueries(IDbContextFactory<PunchDbContext> contextFactory)
{
    /// <summary>The newest sessions the matrix counts (<see cref="NewestSessions.Max"/>).</summary>
    public const int MaxSessions = NewestSessions.Max;

    /// <summary>Rows and columns read from the most open NAT to the least, then the ones not known in full.</summary>
    public static readonly ImmutableArray<string> TypeOrder =
        [NatTypes.FullCone, NatTypes.AddressRestrictedCone, NatTypes.PortRestrictedCone, NatTypes.Cone, NatTypes.Symmetric, NatTypes.Unknown];

    public async Task<NatPairMatrix> GetMatrixAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var (rows, capped) = await NewestSessions.ReadAsync(db.Sessions,
            s => new SessionOutcome(s.NatMappingA, s.NatFilteringA, s.NatMappingB, s.NatFilteringB,
                new SessionTiming(s.RequestedAt, s.State, s.PathKind, s.IntroducedAt ?? s.RequestedAt, s.TimeToConnectMs, s.PathChangedAt, s.PathChanges)),
            cancellationToken);

        var cells = rows
            .GroupBy(r => Ordered(NatTypes.Name(r.MappingA, r.FilteringA), NatTypes.Name(r.MappingB, r.FilteringB)))
            .Select(g => new NatPairCell(g.Key.A, g.Key.B, g.Count(), g.Count(r => r.Timing.PathKind == "direct"), g.Count(r => r.Timing.PathKind == "relayed"),
                g.Count(r => r.Timing is { PathKind: null, State: SessionState.Failed }))
            {
                MedianTimeToDirectMs = Median([.. g.Where(r => r.Timing.PathKind == "direct").Select(r => r.Timing.TimeToDirectMs).OfType<double>()]),
            })
            .OrderBy(c => Rank(c.TypeA)).ThenBy(c => Rank(c.TypeB))
            .ToList();
        var types = TypeOrder.Where(t => cells.Any(c => c.TypeA == t || c.TypeB == t)).ToList();
        return new NatPairMatrix(types, cells, rows.Count, capped);
    }

    /// <summary>The newest sessions between the two NAT types, either way round: a matrix cell's sessions.</summary>
    public async Task<IReadOnlyList<SessionView>> GetSessionsAsync(string typeA, string typeB, int limit, CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var sessions = await db.Sessions.AsNoTracking()
            .Where(NatTypeFilter.Pair(typeA, typeB))
            .OrderByDescending(s => s.RequestedAt).ThenBy(s => s.Id)
            .Take(Math.Clamp(limit, 1, PunchQueries.MaxPageSize))
            .ToListAsync(cancellationToken);
        return sessions.ConvertAll(SessionView.From);
    }

    private static int Rank(string type)
    {
        int index = TypeOrder.IndexOf(type);
        return index < 0 ? TypeOrder.Length : index;
    }

    private static (string A, string B) Ordered(string a, string b) => Rank(a) <= Rank(b) ? (a, b) : (b, a);

    private static double? Median(double[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        int middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    /// <summary>The columns of a session the matrix needs.</summary>
    private sealed record SessionOutcome(string? MappingA, string? FilteringA, string? MappingB, string? FilteringB, SessionTiming Timing);
}
