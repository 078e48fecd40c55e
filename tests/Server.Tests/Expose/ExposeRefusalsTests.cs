using Microsoft.Extensions.Time.Testing;
using Punch.Server.Expose;

namespace Punch.Server.Tests.Expose;

/// <summary>Refusals are all counted; their log lines are one per kind per 10 s, saying how many were left out.</summary>
public sealed class ExposeRefusalsTests
{
    [Fact]
    public void A_flood_of_one_kind_is_counted_whole_and_logged_once_per_interval_with_what_was_left_out()
    {
        var time = new FakeTimeProvider();
        using var meter = TestMeters.NewServerMeter();
        var refusals = new ExposeRefusals(time, meter);

        Assert.True(refusals.Count(ExposeRefusalKind.VisitorsPerAddress, out long first));
        var quiet = Enumerable.Range(0, 500).Count(i => refusals.Count(ExposeRefusalKind.VisitorsPerAddress, out _));
        // Another kind has its own line.
        Assert.True(refusals.Count(ExposeRefusalKind.PendingPerAddress, out _));
        time.Advance(ExposeRefusals.LogInterval);
        Assert.True(refusals.Count(ExposeRefusalKind.VisitorsPerAddress, out long leftOut));

        Assert.Equal((0L, 0, 500L), (first, quiet, leftOut));
        Assert.Equal(502, refusals.CountOf(ExposeRefusalKind.VisitorsPerAddress));
        Assert.Equal(502, refusals.Snapshot()["VisitorsPerAddress"]);
        Assert.Equal(1, refusals.Snapshot()["PendingPerAddress"]);
    }
}
