using Microsoft.Extensions.Time.Testing;
using Punch.Peer.Sessions;

namespace Punch.Peer.Tests;

public class InOrderDeliveryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Lines_that_overtake_earlier_ones_are_held_until_the_gap_closes()
    {
        var delivery = new InOrderDelivery(_time);

        Assert.Equal(["one"], delivery.OnMessage(1, "one").Deliverable);
        var early = delivery.OnMessage(3, "three");
        Assert.True(early.Acknowledge);
        Assert.Empty(early.Deliverable);
        Assert.Equal(["two", "three"], delivery.OnMessage(2, "two").Deliverable);
    }

    [Fact]
    public void Duplicates_are_acknowledged_again_but_delivered_once()
    {
        var delivery = new InOrderDelivery(_time);
        delivery.OnMessage(1, "one");
        delivery.OnMessage(3, "three");

        var again = delivery.OnMessage(1, "one");
        var heldAgain = delivery.OnMessage(3, "three");

        Assert.True(again.Acknowledge && heldAgain.Acknowledge);
        Assert.Empty(again.Deliverable);
        Assert.Empty(heldAgain.Deliverable);
    }

    [Fact]
    public void A_line_too_far_ahead_is_not_acknowledged_so_the_sender_tries_again_later()
    {
        var delivery = new InOrderDelivery(_time);

        var tooFar = delivery.OnMessage(1 + InOrderDelivery.MaxHeld, "far");

        Assert.False(tooFar.Acknowledge);
        Assert.True(delivery.OnMessage(InOrderDelivery.MaxHeld, "just fits").Acknowledge);
    }

    [Fact]
    public void A_gap_nobody_fills_is_skipped_after_the_gap_timeout()
    {
        var delivery = new InOrderDelivery(_time);
        delivery.OnMessage(1, "one");
        delivery.OnMessage(4, "four");
        delivery.OnMessage(5, "five");

        _time.Advance(InOrderDelivery.GapTimeout - TimeSpan.FromSeconds(1));
        Assert.Empty(delivery.OnTimer());
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["four", "five"], delivery.OnTimer());
        Assert.Equal(2, delivery.Skipped);
        Assert.Null(delivery.NextDue());
        Assert.Empty(delivery.OnMessage(2, "late").Deliverable);
    }
}
