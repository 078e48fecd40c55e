using Microsoft.EntityFrameworkCore;
using Punch.Server.Events;

namespace Punch.Server.Storage;

public sealed class PunchDbContext(DbContextOptions<PunchDbContext> options) : DbContext(options)
{
    public DbSet<PeerRecord> Peers => Set<PeerRecord>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<EventRecord> Events => Set<EventRecord>();
    public DbSet<NetworkKeyRecord> NetworkKeys => Set<NetworkKeyRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date type and EF cannot ORDER BY a DateTimeOffset stored as text;
        // UTC ticks sort correctly and compare in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        // Enums as text so the database reads well in the sqlite shell and survives reordering.
        configurationBuilder.Properties<SessionState>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<PunchEventKind>().HaveConversion<string>().HaveMaxLength(24);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PeerRecord>(peer =>
        {
            peer.ToTable("Peers");
            peer.HasIndex(p => new { p.Network, p.Name }).IsUnique();
            // The Peers page's order (online first, then network and name): a page is read from this index
            // instead of sorting the whole table. With 100,000 peers, the sort made page 1000 take 0.7 s.
            peer.HasIndex(p => new { p.Online, p.Network, p.Name }).IsDescending(true, false, false);
        });

        modelBuilder.Entity<SessionRecord>(session =>
        {
            session.ToTable("Sessions");
            session.HasKey(s => s.Id);
            session.HasIndex(s => s.RequestedAt);
            session.HasIndex(s => s.State);
        });

        modelBuilder.Entity<EventRecord>(log =>
        {
            log.ToTable("Events");
            log.Property(e => e.Id).ValueGeneratedOnAdd();
            log.HasIndex(e => e.SessionId);
        });

        modelBuilder.Entity<NetworkKeyRecord>(key =>
        {
            key.ToTable("NetworkKeys");
            key.HasKey(k => k.Network);
            key.Property(k => k.Network).HasMaxLength(64);
        });
    }
}
