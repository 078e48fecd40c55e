using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// A refresh is an event for the dashboard only when it says something new or once per peer lifetime: with 100,000 peers
/// refreshing every 10 s, one event per refresh was more than the event log kept up with.
/// </summary>
public sealed class RefreshEventTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly PeerIdentity Alice = new("default", "alice");
    private static readonly IPEndPoint Home = IPEndPoint.Parse("203.0.113.1:40000");
    private readonly PeerRegistry _registry = new(new RendezvousOptions { PeerLifetime = TimeSpan.FromSeconds(30) });

    private RefreshOutcome RefreshAt(int second, NatMapping mapping = NatMapping.Unknown, NatReport nat = default) =>
        _registry.Refresh(Alice, Home, null, mapping, nat, Start.AddSeconds(second), out _);

    [Fact]
    public void Refreshes_that_change_nothing_are_reported_once_per_peer_lifetime()
    {
        Assert.Equal(RegisterOutcome.Registered, _registry.Register(Alice, Home, [], [], NatMapping.Unknown, default, Start, out _));

        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(10));
        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(20));
        Assert.Equal(RefreshOutcome.Refreshed, RefreshAt(30));          // a lifetime since the Registered event
        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(40));
        Assert.Equal(RefreshOutcome.Refreshed, RefreshAt(60));
    }

    [Fact]
    public void A_refresh_with_a_new_nat_report_is_reported_at_once_and_the_same_report_again_is_not()
    {
        Assert.Equal(RegisterOutcome.Registered, _registry.Register(Alice, Home, [], [], NatMapping.Unknown, default, Start, out _));

        Assert.Equal(RefreshOutcome.Refreshed, RefreshAt(2, NatMapping.EndpointDependent));
        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(4, NatMapping.EndpointDependent));
        Assert.Equal(RefreshOutcome.Refreshed, RefreshAt(6, nat: new NatReport(NatBehaviour.AddressAndPortDependent)));
        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(8, nat: new NatReport(NatBehaviour.AddressAndPortDependent)));
        // A refresh without a report keeps what was measured and is no news either.
        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(10));
    }

    [Fact]
    public void A_registration_renewed_by_a_new_register_counts_as_reported()
    {
        Assert.Equal(RegisterOutcome.Registered, _registry.Register(Alice, Home, [], [], NatMapping.Unknown, default, Start, out _));
        Assert.Equal(RegisterOutcome.Renewed, _registry.Register(Alice, Home, [], [], NatMapping.Unknown, default, Start.AddSeconds(25), out _));

        Assert.Equal(RefreshOutcome.RefreshedQuietly, RefreshAt(35));
        Assert.Equal(RefreshOutcome.Refreshed, RefreshAt(55));
    }
}
