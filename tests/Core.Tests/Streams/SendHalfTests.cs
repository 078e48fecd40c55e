using Punch.Core.Streams;

namespace Punch.Core.Tests.Streams;

/// <summary>The sending side's states (RFC 9000 §3.1), where the peer test under loss once found a stream forgotten too early.</summary>
public sealed class SendHalfTests
{
    [Fact]
    public void A_fin_acknowledged_before_earlier_lost_data_keeps_the_stream_until_that_data_is_acknowledged()
    {
        var send = new SendHalf(64 * 1024, 1_000_000);
        Assert.Equal(3000, send.Write(new byte[3000]));
        send.Finish();
        var first = send.TakeNew(1200);
        var last = send.TakeNew(1800);
        Assert.True(last.Fin);

        send.OnLost(first.Offset, first.Length, first.Fin);
        send.OnAcked(last.Offset, last.Length, last.Fin);

        Assert.True(send.FinAcked);
        Assert.False(send.IsDone);
        Assert.True(send.HasLost);
        var again = send.TakeLost(1200);
        Assert.Equal((0UL, 1200), (again.Offset, again.Length));
        send.OnAcked(again.Offset, again.Length, again.Fin);
        Assert.True(send.IsDone);
    }

    [Fact]
    public void Acknowledged_bytes_free_buffer_space_in_order_only()
    {
        var send = new SendHalf(4096, 1_000_000);
        Assert.Equal(4096, send.Write(new byte[5000]));
        Assert.True(send.WriteBlocked);
        var a = send.TakeNew(1000);
        var b = send.TakeNew(1000);
        send.OnAcked(b.Offset, b.Length, b.Fin);
        Assert.Equal(0, send.Free); // a hole below: nothing can be released yet
        send.OnAcked(a.Offset, a.Length, a.Fin);
        Assert.Equal(2000, send.Free);
    }
}
