using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Punch.Server.Storage;

/// <summary>The bounded read the dashboard's aggregates share: the newest sessions, a few columns each.</summary>
public static class NewestSessions
{
    /// <summary>
    /// The most sessions one aggregate reads. Bounds the page's cost on a server with millions of sessions in
    /// its history: 50,000 rows of a few columns read in well under a second from SQLite, through the
    /// RequestedAt index.
    /// </summary>
    public const int Max = 50_000;

    /// <summary>The newest <see cref="Max"/> of <paramref name="sessions"/> as <paramref name="columns"/>; <c>Capped</c> when older ones were left out.</summary>
    public static async Task<(List<T> Rows, bool Capped)> ReadAsync<T>(
        IQueryable<SessionRecord> sessions, Expression<Func<SessionRecord, T>> columns, CancellationToken cancellationToken)
    {
        var rows = await sessions.AsNoTracking()
            .OrderByDescending(s => s.RequestedAt)
            .Take(Max + 1)
            .Select(columns)
            .ToListAsync(cancellationToken);
        bool capped = rows.Count > Max;
        if (capped)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return (rows, capped);
    }
}
