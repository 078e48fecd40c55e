using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>
/// The peer and session rows one writer batch touches, loaded with one query per table before the
/// batch is projected. Looking each event's row up on its own (and through <c>DbSet.Local</c>, which
/// scans every tracked entity) held the writer to ~1,700 events/s in a registration flood; see
/// docs/storage-benchmark.md for the figures with this cache.
/// </summary>
public sealed class ProjectionBatch
{
    private readonly PunchDbContext _db;
    /// <summary>Not tracked by EF Core: <see cref="SavePeers"/> writes them with prepared statements.</summary>
    private readonly Dictionary<(string Network, string Name), PeerRecord> _peers = [];
    private readonly Dictionary<string, SessionRecord> _sessions = new(StringComparer.Ordinal);

    private ProjectionBatch(PunchDbContext db) => _db = db;

    public static async Task<ProjectionBatch> LoadAsync(PunchDbContext db, IReadOnlyList<PunchEvent> events, CancellationToken cancellationToken)
    {
        var batch = new ProjectionBatch(db);
        var networks = events.Select(e => e.Network).Distinct().ToList();
        var names = events.Select(e => e.Peer).Distinct().ToList();
        // Both columns of the unique (Network, Name) index, so SQLite seeks instead of scanning Peers.
        var peers = await db.Peers.AsNoTracking().Where(p => networks.Contains(p.Network) && names.Contains(p.Name)).ToListAsync(cancellationToken);
        foreach (var peer in peers)
        {
            batch._peers[(peer.Network, peer.Name)] = peer;
        }

        var sessionIds = events.OfType<SessionEvent>().Where(e => !string.IsNullOrEmpty(e.SessionId)).Select(e => e.SessionId).Distinct().ToList();
        if (sessionIds.Count > 0)
        {
            var sessions = await db.Sessions.Where(s => sessionIds.Contains(s.Id)).ToListAsync(cancellationToken);
            foreach (var session in sessions)
            {
                batch._sessions[session.Id] = session;
            }
        }

        return batch;
    }

    public PeerRecord? FindPeer(string network, string name) => _peers.GetValueOrDefault((network, name));

    public void AddPeer(PeerRecord peer)
    {
        _peers[(peer.Network, peer.Name)] = peer;
    }

    /// <summary>Writes every peer the batch loaded or added (a loaded one was looked up to be changed).</summary>
    public void SavePeers(DbConnection connection, DbTransaction transaction)
    {
        if (_peers.Count == 0)
        {
            return;
        }

        using var commands = new PeerWriteCommands(connection, transaction);
        foreach (var peer in _peers.Values)
        {
            if (peer.Id == 0)
            {
                commands.Insert(peer);
            }
            else
            {
                commands.Update(peer);
            }
        }
    }

    public SessionRecord? FindSession(string id) => _sessions.GetValueOrDefault(id);

    public void AddSession(SessionRecord session)
    {
        _db.Sessions.Add(session);
        _sessions[session.Id] = session;
    }
}
