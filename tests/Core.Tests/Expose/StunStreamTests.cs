using Punch.Core.Expose;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Expose;

/// <summary>STUN over a byte stream (RFC 8489 §6.2.2): messages back to back, each one's length from its header.</summary>
public sealed class StunStreamTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Messages_back_to_back_are_read_one_at_a_time_and_then_the_end()
    {
        var first = MessageCatalog.Get("ExposeOpenIndication").Datagram;
        var second = MessageCatalog.Get("ExposeKeepaliveIndication").Datagram;
        using var stream = new MemoryStream([.. first, .. second]);
        var buffer = new byte[StunStream.MaxMessageLength];

        Assert.Equal(first, buffer[..await StunStream.ReadMessageAsync(stream, buffer, CancellationToken.None).AsTask().WaitAsync(Timeout)]);
        Assert.Equal(second, buffer[..await StunStream.ReadMessageAsync(stream, buffer, CancellationToken.None).AsTask().WaitAsync(Timeout)]);
        Assert.Equal(0, await StunStream.ReadMessageAsync(stream, buffer, CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_message_cut_short_by_the_end_of_the_stream_is_invalid()
    {
        var message = MessageCatalog.Get("ExposeAttachIndication").Datagram;
        using var stream = new MemoryStream(message[..^3]);

        await Assert.ThrowsAsync<InvalidDataException>(() => StunStream.ReadMessageAsync(stream, new byte[StunStream.MaxMessageLength], CancellationToken.None).AsTask().WaitAsync(Timeout));
    }

    [Fact]
    public async Task Bytes_that_are_not_stun_are_invalid_without_reading_further()
    {
        using var stream = new MemoryStream("GET / HTTP/1.1\r\nHost: example\r\n\r\n"u8.ToArray());

        await Assert.ThrowsAsync<InvalidDataException>(() => StunStream.ReadMessageAsync(stream, new byte[StunStream.MaxMessageLength], CancellationToken.None).AsTask().WaitAsync(Timeout));
        Assert.Equal(StunConstants.HeaderLength, stream.Position);
    }

    [Fact]
    public void A_header_announcing_more_than_the_limit_is_refused()
    {
        var header = MessageCatalog.Get("ExposeKeepaliveIndication").Datagram[..StunConstants.HeaderLength];
        header[2] = 0xff;
        header[3] = 0xfc;

        Assert.Equal(-1, StunStream.MessageLength(header));
        Assert.Equal(20 + 0xfffc, StunStream.MessageLength(header, maxLength: 70_000));
    }

    [Fact]
    public void Random_headers_never_throw()
    {
        foreach (var input in HostileInputs.RandomBytes(seed: 7, 20_000))
        {
            if (input.Length >= StunConstants.HeaderLength)
            {
                int length = StunStream.MessageLength(input.AsSpan(0, StunConstants.HeaderLength));
                Assert.True(length == -1 || (length >= StunConstants.HeaderLength && length <= StunStream.MaxMessageLength));
            }
        }
    }
}
