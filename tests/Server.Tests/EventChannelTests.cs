using Microsoft.Extensions.Options;
using Punch.Server.Events;

namespace Punch.Server.Tests;

public sealed class EventChannelTests
{
    private static PeerRegistered Registration(int i) => new()
    {
        At = DateTimeOffset.UnixEpoch.AddSeconds(i),
        Network = "unit",
        Peer = $"peer-{i}",
        PublicEndpoint = "203.0.113.1:40000",
        Candidates = [],
        Nat = new(),
    };

    [Fact]
    public void A_full_queue_refuses_without_blocking_and_counts_the_drop()
    {
        using var meter = TestMeters.NewServerMeter();
        var stats = new EventStats(meter);
        var channel = new EventChannel(Options.Create(new EventsOptions { Capacity = 16 }), stats);

        var accepted = Enumerable.Range(0, 20).Count(i => channel.TryPublish(Registration(i)));

        Assert.Equal(16, accepted);
        Assert.Equal(4, stats.EventsDropped);
        // The oldest events are kept: what was acknowledged is never displaced.
        Assert.True(channel.Reader.TryRead(out var first));
        Assert.Equal("peer-0", first.Peer);
    }

    [Fact]
    public void After_shutdown_began_publishing_is_refused_and_counted()
    {
        using var meter = TestMeters.NewServerMeter();
        var stats = new EventStats(meter);
        var channel = new EventChannel(Options.Create(new EventsOptions()), stats);

        channel.Complete();

        Assert.False(channel.TryPublish(Registration(1)));
        Assert.Equal(1, stats.EventsDropped);
    }
}
