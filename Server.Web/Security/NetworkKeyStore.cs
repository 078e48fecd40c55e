using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Punch.Server.Storage;

namespace Punch.Server.Security;

/// <summary>
/// Admin-set network keys: persisted in the NetworkKeys table, protected with ASP.NET Data Protection,
/// and handed to the rendezvous through <see cref="INetworkKeyUpdater"/>.
/// </summary>
public sealed partial class NetworkKeyStore(
    IDbContextFactory<PunchDbContext> contextFactory,
    IDataProtectionProvider dataProtection,
    INetworkKeyUpdater updater,
    TimeProvider clock,
    ILogger<NetworkKeyStore> logger)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Punch.NetworkKeys.v1");

    /// <summary>Sets (or with null removes) a network's key: stored first, then applied, so what is in force is always also on disk.</summary>
    public async Task SetAsync(string network, string? key, CancellationToken cancellationToken)
    {
        if (NetworkKeyRules.ValidateNetwork(network) is { } badNetwork)
        {
            throw new ArgumentException(badNetwork, nameof(network));
        }

        if (key is not null && NetworkKeyRules.ValidateKey(key) is { } badKey)
        {
            throw new ArgumentException(badKey, nameof(key));
        }

        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.NetworkKeys.FindAsync([network], cancellationToken);
        if (key is null)
        {
            if (record is not null)
            {
                db.NetworkKeys.Remove(record);
            }
        }
        else if (record is null)
        {
            db.NetworkKeys.Add(new NetworkKeyRecord { Network = network, ProtectedKey = _protector.Protect(key), UpdatedAt = clock.GetUtcNow() });
        }
        else
        {
            record.ProtectedKey = _protector.Protect(key);
            record.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(cancellationToken);
        updater.Set(network, key);
        LogKeyChanged(logger, network, key is null ? "removed" : "set");
    }

    /// <summary>Hands every stored key to the rendezvous; a key the key ring can no longer open is skipped and logged.</summary>
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var loaded = 0;
        foreach (var record in await db.NetworkKeys.AsNoTracking().ToListAsync(cancellationToken))
        {
            try
            {
                updater.Set(record.Network, _protector.Unprotect(record.ProtectedKey));
                loaded++;
            }
            catch (CryptographicException ex)
            {
                LogKeyUnreadable(logger, ex, record.Network);
            }
        }
        return loaded;
    }

    /// <summary>Every network that has peers, sessions or a key, by name.</summary>
    public async Task<IReadOnlyList<NetworkView>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var peers = await db.Peers.GroupBy(p => p.Network)
            .Select(g => new { Network = g.Key, Known = g.Count(), Online = g.Count(p => p.Online) })
            .ToDictionaryAsync(g => g.Network, cancellationToken);
        var sessions = await db.Sessions.GroupBy(s => s.Network)
            .Select(g => new { Network = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Network, g => g.Count, cancellationToken);
        var adminSet = (await db.NetworkKeys.Select(k => k.Network).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var protectedNow = updater.ProtectedNetworks.ToHashSet(StringComparer.Ordinal);

        return peers.Keys.Concat(sessions.Keys).Concat(adminSet).Concat(protectedNow)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(network =>
            {
                var source = adminSet.Contains(network) ? NetworkKeySource.Admin
                    : protectedNow.Contains(network) ? NetworkKeySource.Configuration
                    : NetworkKeySource.None;
                var peerCounts = peers.GetValueOrDefault(network);
                return new NetworkView(network, peerCounts?.Known ?? 0, peerCounts?.Online ?? 0,
                    sessions.GetValueOrDefault(network), source != NetworkKeySource.None, source);
            })
            .ToList();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Network key of {Network} {Change} by an admin")]
    private static partial void LogKeyChanged(ILogger logger, string network, string change);

    [LoggerMessage(Level = LogLevel.Error, Message = "The stored key of network {Network} cannot be decrypted (was the punch-keys folder beside the database lost?); the network stays as configuration has it until an admin sets its key again")]
    private static partial void LogKeyUnreadable(ILogger logger, Exception exception, string network);
}
