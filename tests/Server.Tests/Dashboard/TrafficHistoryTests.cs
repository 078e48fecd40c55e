using Microsoft.Extensions.Time.Testing;
using Punch.Server.Dashboard;
using Punch.Server.Relay;
using Punch.Server.Rendezvous;
using Punch.Server.Storage;

namespace Punch.Server.Tests.Dashboard;

/// <summary>The Overview's traffic chart: per-bucket differences of the counters, from one sample a minute.</summary>
public sealed class TrafficHistoryTests
{
    // 12:00:30 UTC: half a minute into a bucket, so the first bucket with data starts before the first sample.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 30, TimeSpan.Zero));
    private readonly RendezvousStats _rendezvous = TestMeters.NewRendezvousStats();
    private readonly RelayStats _relay = new(TestMeters.NewServerMeter());

    [Fact]
    public void Each_minute_bucket_holds_what_happened_in_it_and_the_current_one_counts_up_to_now()
    {
        using var history = new TrafficHistory(_rendezvous, _relay, _time);
        Received(3);
        _time.Advance(TimeSpan.FromSeconds(30)); // 12:01:00, a whole minute: the loop samples
        history.Record();
        Received(5);
        _rendezvous.Registered("n");
        _relay.Forwarded(1200);
        _time.Advance(TimeSpan.FromMinutes(1)); // 12:02:00
        history.Record();
        Received(2);
        _time.Advance(TimeSpan.FromSeconds(10)); // now: 12:02:10

        var buckets = history.Buckets(ActivityWindow.Hour);

        Assert.Equal(60, buckets.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 12, 2, 0, TimeSpan.Zero), buckets[^1].At);
        Assert.All(buckets.Take(57), b => Assert.Equal(0, b.DatagramsReceived));
        // 12:00 (the server started inside it): from the first sample to 12:01's; 12:01: 12:01's to 12:02's;
        // 12:02, the current one: from 12:02's sample to now.
        Assert.Equal([3, 5, 2], buckets.TakeLast(3).Select(b => b.DatagramsReceived));
        Assert.Equal([0, 1, 0], buckets.TakeLast(3).Select(b => b.Registrations));
        Assert.Equal([0, 1200, 0], buckets.TakeLast(3).Select(b => b.RelayBytes));
    }

    [Fact]
    public void A_day_sums_half_hours_and_keeps_at_most_a_day_of_samples()
    {
        using var history = new TrafficHistory(_rendezvous, _relay, _time);
        for (int minute = 0; minute < 26 * 60; minute++)
        {
            Received(1);
            _time.Advance(TimeSpan.FromMinutes(1));
            history.Record();
        }

        var buckets = history.Buckets(ActivityWindow.Day);

        Assert.Equal(48, buckets.Count);
        // Every full half hour of the last day saw 30 datagrams, one a minute.
        Assert.All(buckets.Skip(1).SkipLast(1), b => Assert.Equal(30, b.DatagramsReceived));
    }

    private void Received(int count)
    {
        for (int i = 0; i < count; i++)
        {
            _rendezvous.Received();
        }
    }
}
