using System.Net;
using System.Net.Sockets;
using Punch.Server.Rendezvous;
using Punch.Server.Udp;

namespace Punch.Server.Tests.Limits;

/// <summary>The per-source token bucket on its own, with a clock the test moves.</summary>
public sealed class SourceRateLimiterTests
{
    private readonly ManualClock _clock = new();
    private readonly RendezvousStats _stats = TestMeters.NewRendezvousStats();

    private SourceRateLimiter Limiter(double perSecond = 10, int burst = 5, int maxSources = 64) =>
        new(new SourceRateLimitOptions { PacketsPerSecond = perSecond, Burst = burst, MaxSources = maxSources, IdleTimeout = TimeSpan.FromSeconds(30) }, _clock, _stats);

    [Fact]
    public void A_source_gets_its_burst_then_is_dropped_and_counted_until_tokens_refill()
    {
        var limiter = Limiter(perSecond: 10, burst: 5);
        var source = AddressKey.Of(IPAddress.Parse("192.0.2.1"));

        Assert.Equal(5, Enumerable.Range(0, 20).Count(_ => limiter.TryAdmit(source)));
        Assert.Equal(15, _stats.Snapshot().Limits.RateLimited);

        _clock.Advance(TimeSpan.FromMilliseconds(300)); // 10/s: three tokens
        Assert.Equal(3, Enumerable.Range(0, 10).Count(_ => limiter.TryAdmit(source)));

        _clock.Advance(TimeSpan.FromMinutes(5)); // refills to the burst, never beyond
        Assert.Equal(5, Enumerable.Range(0, 10).Count(_ => limiter.TryAdmit(source)));
    }

    [Fact]
    public void One_flooding_source_does_not_take_tokens_from_another()
    {
        var limiter = Limiter(burst: 3);
        var flooder = AddressKey.Of(IPAddress.Parse("192.0.2.1"));
        var peer = AddressKey.Of(IPAddress.Parse("192.0.2.2"));
        for (int i = 0; i < 1000; i++)
        {
            limiter.TryAdmit(flooder);
        }

        Assert.True(limiter.TryAdmit(peer));
        Assert.False(limiter.TryAdmit(flooder));
    }

    [Fact]
    public void Sprayed_source_addresses_never_grow_the_table_and_active_ones_pushed_out_are_counted()
    {
        var limiter = Limiter(perSecond: 1, maxSources: 64);
        Assert.Equal(64, limiter.Capacity);
        var flooder = AddressKey.Of(IPAddress.Parse("198.51.100.7"));
        for (int i = 0; i < 5; i++)
        {
            limiter.TryAdmit(flooder);
        }

        int admitted = 0;
        _ = SpoofedSource(0); // its static base is made here, not inside the measured loop
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (uint i = 0; i < 100_000; i++)
        {
            // Time moves (1 µs a datagram, 0.1 s in all: a tenth of a token), so "least recently seen" means something.
            _clock.Advance(TimeSpan.FromTicks(10));
            // Each spoofed source sends once and is admitted (a fresh bucket), but the table stays at 64 slots.
            admitted += limiter.TryAdmit(SpoofedSource(i)) ? 1 : 0;
            // The real flooder keeps sending between them and stays the most recent in its set, so its empty bucket is not reset.
            if (i % 4 == 0)
            {
                Assert.False(limiter.TryAdmit(flooder));
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(100_000, admitted);
        Assert.True(_stats.Snapshot().Limits.RateLimitEvictions > 90_000, $"{_stats.Snapshot().Limits.RateLimitEvictions} evictions");
    }

    private static readonly UInt128 SpoofedBase = AddressKey.Of(IPAddress.Parse("10.0.0.0"));

    private static UInt128 SpoofedSource(uint i) => SpoofedBase + i;

    [Fact]
    public void Admission_allocates_nothing_per_datagram()
    {
        var limiter = Limiter(perSecond: 1e9, burst: 1_000_000);
        var source = AddressKey.Of(IPAddress.Parse("192.0.2.9"));
        limiter.TryAdmit(source);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100_000; i++)
        {
            limiter.TryAdmit(source);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_key_read_from_a_socket_address_matches_the_address_and_an_IPv4_mapped_source_is_the_same_source()
    {
        var v4 = new IPEndPoint(IPAddress.Parse("203.0.113.5"), 3478);
        var v6 = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 3478);

        Assert.Equal(AddressKey.Of(v4.Address), AddressKey.Of(v4.Serialize()));
        Assert.Equal(AddressKey.Of(v6.Address), AddressKey.Of(v6.Serialize()));
        Assert.Equal(AddressKey.Of(v4.Address), AddressKey.Of(new IPEndPoint(v4.Address.MapToIPv6(), 1).Serialize()));
        Assert.NotEqual(AddressKey.Of(v4.Address), AddressKey.Of(IPAddress.Parse("203.0.113.6")));
        Assert.Equal(AddressFamily.InterNetworkV6, v6.Serialize().Family);
    }

    /// <summary>A clock that moves only when told; starts far from zero (zero marks an empty slot).</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = 1_000_000_000;

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += (long)(by.TotalSeconds * TimestampFrequency);
    }
}
