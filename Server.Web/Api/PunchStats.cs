using System.Text.Json.Serialization;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;

namespace Punch.Server.Api;

/// <summary>What the overview and <c>GET /api/stats</c> show: the live counters beside what the database says, in one JSON object.</summary>
public sealed record PunchStats(RendezvousCounters Rendezvous, [property: JsonIgnore] StoredStats Stored)
{
    public int PeersOnline => Stored.PeersOnline;
    public int PeersKnown => Stored.PeersKnown;
    public int SessionsTotal => Stored.SessionsTotal;
    public int SessionsActive => Stored.SessionsActive;
    public int SessionsDirect => Stored.SessionsDirect;
    public int SessionsFailed => Stored.SessionsFailed;
    public long EventsStored => Stored.EventsStored;

    /// <summary>Share of decided sessions (ever direct, or failed) that got a direct path; null before any was decided.</summary>
    public double? SuccessRate => Stored.SuccessRate;

    /// <summary>How the online peers' NATs map (RFC 4787 §4.1).</summary>
    public NatMappingCounts OnlineNatMappings => Stored.OnlineNatMappings;

    /// <summary>Sessions whose current path is the relay.</summary>
    public int SessionsRelayed => Stored.SessionsRelayed;

    /// <summary>Events stored, dropped at the full queue, and pruned since start; the retention settings.</summary>
    public StorageCounters? Storage => Stored.Storage;

    /// <summary>HTTP requests the rate limiter turned away since start (filled in by <c>GET /api/stats</c>).</summary>
    public long HttpRequestsRateLimited { get; init; }

    /// <summary>HTTP requests refused as coming from another site (foreign Origin, or a change without X-Punch-Request), filled in by <c>GET /api/stats</c>.</summary>
    public long HttpRequestsCrossSiteRefused { get; init; }
}
