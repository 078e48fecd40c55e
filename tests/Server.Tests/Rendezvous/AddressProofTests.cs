using System.Net;
using Microsoft.Extensions.Time.Testing;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>The stateless cookie on a fake clock: it proves exactly one address and port, for a bounded time, to this process only.</summary>
public sealed class AddressProofTests
{
    private static readonly IPEndPoint Source = new(IPAddress.Parse("203.0.113.7"), 40000);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_cookie_proves_its_own_source_within_its_lifetime_and_nothing_else()
    {
        var proof = new AddressProof(_clock);
        var cookie = proof.Mint(Source);

        Assert.True(proof.Verify(cookie, Source));
        // A dual-stack socket reports the same IPv4 source as ::ffff:a.b.c.d: still the same source.
        Assert.True(proof.Verify(cookie, new IPEndPoint(Source.Address.MapToIPv6(), Source.Port)));
        Assert.False(proof.Verify(cookie, new IPEndPoint(Source.Address, Source.Port + 1)));
        Assert.False(proof.Verify(cookie, new IPEndPoint(IPAddress.Parse("203.0.113.8"), Source.Port)));
        Assert.False(proof.Verify(null, Source));
        Assert.False(proof.Verify(cookie with { Tag = cookie.Tag ^ 1 }, Source));
        // The time is under the MAC: moving it forward to stretch the lifetime breaks the tag.
        Assert.False(proof.Verify(cookie with { IssuedAt = cookie.IssuedAt + 10 }, Source));

        _clock.Advance(AddressProof.Lifetime);
        Assert.True(proof.Verify(cookie, Source));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(proof.Verify(cookie, Source));
    }

    [Fact]
    public void A_cookie_from_the_future_or_from_another_process_proves_nothing()
    {
        // FakeTimeProvider cannot go back; this clock can.
        var clock = new SettableClock { Now = _clock.GetUtcNow() + TimeSpan.FromSeconds(10) };
        var proof = new AddressProof(clock);
        var later = proof.Mint(Source);
        clock.Now -= TimeSpan.FromSeconds(10);
        Assert.False(proof.Verify(later, Source));

        // Another process (a restart) has another key.
        Assert.False(new AddressProof(clock).Verify(proof.Mint(Source), Source));
    }

    private sealed class SettableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; }

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void IPv6_sources_of_one_64_block_count_as_one_address_for_the_caps()
    {
        Assert.Equal(AddressBlock.Of(IPAddress.Parse("2001:db8:1:2::1")), AddressBlock.Of(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(AddressBlock.Of(IPAddress.Parse("2001:db8:1:2::1")), AddressBlock.Of(IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), AddressBlock.Of(IPAddress.Parse("::ffff:203.0.113.7")));
        Assert.Equal(IPAddress.Parse("203.0.113.7"), AddressBlock.Of(IPAddress.Parse("203.0.113.7")));
    }
}
