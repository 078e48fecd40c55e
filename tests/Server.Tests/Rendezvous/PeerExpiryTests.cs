using System.Net;
using Punch.Core.Protocol;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// The registry skips its expiry scan until a registration may have lapsed (a lower bound on the earliest
/// expiry): whatever order peers register, refresh, re-register and leave in, each still lapses on time.
/// </summary>
public sealed class PeerExpiryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly RendezvousOptions _options = new() { PeerLifetime = TimeSpan.FromSeconds(30) };
    private readonly PeerRegistry _registry;

    public PeerExpiryTests() => _registry = new PeerRegistry(_options);

    private static IPEndPoint At(int host) => new(IPAddress.Parse($"203.0.113.{host}"), 40000);

    private void Register(string name, int host, int atSecond) =>
        Assert.NotEqual(RegisterOutcome.Full, _registry.Register(new PeerIdentity("default", name), At(host), [], [], NatMapping.Unknown, default, Start.AddSeconds(atSecond), out _));

    private string[] ExpiredAt(int second) => [.. _registry.RemoveExpired(Start.AddSeconds(second)).Select(p => p.Identity.Name).Order()];

    [Fact]
    public void A_peer_registered_after_the_last_scan_with_an_earlier_expiry_than_the_others_still_lapses_on_time()
    {
        Register("alice", 1, 0);
        Assert.Equal(RefreshOutcome.RefreshedQuietly, _registry.Refresh(new PeerIdentity("default", "alice"), At(1), null, NatMapping.Unknown, default, Start.AddSeconds(25), out _));
        Assert.Empty(ExpiredAt(31));         // alice's refresh moved her expiry to 55 s
        Register("bob", 2, 32);              // expires at 62 s
        Assert.Empty(ExpiredAt(54));
        Assert.Equal(["alice"], ExpiredAt(55));
        Assert.Empty(ExpiredAt(61));
        Assert.Equal(["bob"], ExpiredAt(62));
        Assert.Equal(0, _registry.Count);
    }

    [Fact]
    public void Many_peers_with_spread_expiries_each_lapse_at_their_own_second()
    {
        for (int i = 0; i < 50; i++)
        {
            Register($"p{i:00}", i + 1, i);  // p(i) expires at i + 30 s
        }

        for (int second = 30; second < 80; second++)
        {
            Assert.Equal([$"p{second - 30:00}"], ExpiredAt(second));
        }

        Assert.Equal(0, _registry.Count);
    }
}
