using Punch.Core.Streams;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Streams;

public sealed class StreamWireTests
{
    private delegate bool Reader(ReadOnlySpan<byte> source);

    [Theory]
    [InlineData(0UL, "00")]
    [InlineData(37UL, "25")]
    [InlineData(15293UL, "7bbd")]
    [InlineData(494878333UL, "9d7f3e7d")]
    [InlineData(151288809941952652UL, "c2197c5eff14e88c")]
    public void VarInt_matches_RFC_9000_appendix_A_examples(ulong value, string hex)
    {
        var buffer = new byte[8];
        int length = VarInt.Write(buffer, value);
        Assert.Equal(Hex.Normalize(hex), Hex.Format(buffer.AsSpan(0, length)));
        Assert.True(VarInt.TryRead(Hex.Parse(hex), out ulong read, out int consumed));
        Assert.Equal((value, length), (read, consumed));
    }

    public static TheoryData<string, string> KnownFrames => new()
    {
        { "ping", "01" },
        { "stream", "08 04 4100 03 616263" },
        { "stream-fin", "09 01 00 00" },
        { "ack", "02 0a 19 01 02 00 00" },
        { "reset", "04 04 4200 4400 02 6e6f" },
        { "stop", "05 04 4202" },
        { "max-data", "10 80100000" },
        { "max-stream-data", "11 08 80040000" },
        { "max-streams", "12 4100" },
        { "close", "1c 4202 0362 7965" },
    };

    private static (byte[] Bytes, Func<byte[]> Write) Frame(string name) => name switch
    {
        "ping" => ([], () => Encode(new PingFrame().WriteTo, 1)),
        "stream" => ([], () => Encode(new StreamFrame(4, 256, "abc"u8.ToArray(), false).WriteTo, 8)),
        "stream-fin" => ([], () => Encode(new StreamFrame(1, 0, Array.Empty<byte>(), true).WriteTo, 4)),
        "ack" => ([], () => Encode(new AckFrame(25, [new ValueRange(8, 11), new ValueRange(6, 7)]).WriteTo, 7)),
        "reset" => ([], () => Encode(new ResetStreamFrame(4, StreamErrorCode.Refused, 1024, "no").WriteTo, 9)),
        "stop" => ([], () => Encode(new StopSendingFrame(4, StreamErrorCode.Cancelled).WriteTo, 4)),
        "max-data" => ([], () => Encode(CreditFrame.MaxData(1 << 20).WriteTo, 5)),
        "max-stream-data" => ([], () => Encode(CreditFrame.MaxStreamData(8, 256 * 1024).WriteTo, 6)),
        "max-streams" => ([], () => Encode(CreditFrame.MaxStreams(256).WriteTo, 3)),
        "close" => ([], () => Encode(new CloseFrame(StreamErrorCode.Cancelled, "bye").WriteTo, 7)),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(KnownFrames))]
    public void Every_frame_writes_known_bytes_and_reads_back_equal(string name, string hex)
    {
        byte[] written = Frame(name).Write();
        Assert.Equal(Hex.Normalize(hex), Hex.Format(written));
        byte[] bytes = Hex.Parse(hex);
        switch (name)
        {
            case "ping":
                Assert.True(PingFrame.TryRead(bytes, out _, out int pingLength));
                Assert.Equal(1, pingLength);
                break;
            case "stream" or "stream-fin":
                Assert.True(StreamFrame.TryRead(bytes, out var stream, out int streamLength));
                Assert.Equal(bytes.Length, streamLength);
                Assert.Equal(written, Encode(stream.WriteTo, stream.EncodedLength));
                break;
            case "ack":
                Assert.True(AckFrame.TryRead(bytes, out var ack, out _));
                Assert.Equal(10UL, ack.Largest);
                Assert.Equal([new ValueRange(8, 11), new ValueRange(6, 7)], ack.Ranges);
                Assert.Equal(written, Encode(ack.WriteTo, ack.EncodedLength));
                break;
            case "reset":
                Assert.True(ResetStreamFrame.TryRead(bytes, out var reset));
                Assert.Equal(new ResetStreamFrame(4, StreamErrorCode.Refused, 1024, "no"), reset);
                break;
            case "stop":
                Assert.True(StopSendingFrame.TryRead(bytes, out var stop));
                Assert.Equal(new StopSendingFrame(4, StreamErrorCode.Cancelled), stop);
                break;
            case "close":
                Assert.True(CloseFrame.TryRead(bytes, out var close));
                Assert.Equal(new CloseFrame(StreamErrorCode.Cancelled, "bye"), close);
                break;
            default:
                Assert.True(CreditFrame.TryRead(bytes, out var credit));
                Assert.Equal(written, Encode(credit.WriteTo, credit.EncodedLength));
                break;
        }
    }

    [Fact]
    public void Hello_and_protected_header_write_known_bytes_and_read_back()
    {
        var key = new byte[HelloPacket.PublicKeyLength];
        key[0] = 0x04;
        key[^1] = 0xAB;
        byte[] hello = Encode(new HelloPacket(0x4001, StreamRole.Acceptor, true, key).WriteTo, HelloPacket.Length);
        Assert.Equal("4001004510010201" + "04" + new string('0', 126) + "ab", Hex.Format(hello));
        Assert.True(HelloPacket.TryRead(hello, out var read));
        Assert.Equal((StreamRole.Acceptor, true, (ushort)0x4001), (read.Role, read.UsesSecret, read.Channel));
        Assert.Equal(key, read.PublicKey.ToArray());
        Assert.True(StreamPackets.LooksLikeStreamPacket(hello));

        var header = new byte[ProtectedHeader.Length + 20];
        new ProtectedHeader(0x4fff, 0x0102030405060708, 20).WriteTo(header);
        Assert.Equal("4fff001d110102030405060708", Hex.Format(header.AsSpan(0, ProtectedHeader.Length)));
        Assert.True(ProtectedHeader.TryRead(header, out var parsed));
        Assert.Equal(new ProtectedHeader(0x4fff, 0x0102030405060708, 20), parsed);
    }

    [Fact]
    public void Peer_chat_frames_are_not_stream_packets()
    {
        Assert.False(StreamPackets.LooksLikeStreamPacket(Hex.Parse("4001 000d 01 00000001 0000000000000000")));
    }

    [Fact]
    public void Random_and_mutated_bytes_never_throw_in_any_reader()
    {
        var readers = new Reader[]
        {
            s => PingFrame.TryRead(s, out _), s => StreamFrame.TryRead(s, out _), s => AckFrame.TryRead(s, out _),
            s => ResetStreamFrame.TryRead(s, out _), s => StopSendingFrame.TryRead(s, out _), s => CreditFrame.TryRead(s, out _),
            s => CloseFrame.TryRead(s, out _), s => HelloPacket.TryRead(s, out _), s => ProtectedHeader.TryRead(s, out _),
            s => VarInt.TryRead(s, out _, out _), s => StreamPackets.LooksLikeStreamPacket(s),
        };
        var valid = KnownFrames.Select(row => Hex.Parse((string)row[1])).ToList();
        var random = new Random(20);
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(64)];
                random.NextBytes(input);
                if (input.Length > 0)
                {
                    input[0] = (byte)new[] { 0x01, 0x02, 0x04, 0x05, 0x08, 0x09, 0x10, 0x11, 0x12, 0x1c, 0x40 }[random.Next(11)];
                }
            }
            else
            {
                input = (byte[])valid[random.Next(valid.Count)].Clone();
                if (input.Length > 1)
                {
                    input[1 + random.Next(input.Length - 1)] = (byte)random.Next(256);
                    input = input[..random.Next(1, input.Length + 1)];
                }
            }

            foreach (var reader in readers)
            {
                reader(input);
            }
        }
    }

    [Fact]
    public void Random_datagrams_fed_to_a_connection_are_dropped_not_thrown()
    {
        using var link = new StreamLink(21);
        var random = new Random(21);
        for (int i = 0; i < 5000; i++)
        {
            var datagram = new byte[random.Next(8, 300)];
            random.NextBytes(datagram);
            datagram[0] = 0x40;
            datagram[1] = 0x01;
            datagram[2] = 0;
            datagram[3] = (byte)(i % 2 == 0 ? HelloPacket.PayloadLength : datagram.Length - 4);
            datagram[4] = (byte)(i % 2 == 0 ? 0x10 : 0x11);
            datagram[5] = 1;
            link.Acceptor.Receive(datagram);
        }

        Assert.NotEqual(StreamConnectionState.Closed, link.Acceptor.State);
    }

    [Fact]
    public void An_oversized_protected_packet_after_the_handshake_is_dropped_not_thrown()
    {
        // Found by the stream-established fuzz target (fuzz/corpus/stream-established/regression-oversized-packet.bin):
        // the sealed length comes from the unauthenticated header, and a packet longer than the plaintext
        // buffer threw ArgumentOutOfRangeException from PacketProtection.TryOpen before the tag was checked.
        using var link = new StreamLink(22);
        Assert.True(link.RunUntil(() => link.Acceptor.State == StreamConnectionState.Established, TimeSpan.FromSeconds(5)));
        var datagram = new byte[ProtectedHeader.Length + 1300];
        new ProtectedHeader(0x4001, PacketNumber: 1000, SealedLength: 1300).WriteTo(datagram);
        long dropped = link.Acceptor.PacketsDropped;

        Assert.False(link.Acceptor.Receive(datagram));

        Assert.Equal(dropped + 1, link.Acceptor.PacketsDropped);
        Assert.Equal(StreamConnectionState.Established, link.Acceptor.State);
    }

    [Fact]
    public void RangeSet_merges_splits_and_trims()
    {
        var set = new RangeSet();
        set.Add(10, 20);
        set.Add(30, 40);
        set.Add(20, 30);
        Assert.Equal([new ValueRange(10, 40)], set.Ranges);
        set.Remove(15, 25);
        Assert.Equal([new ValueRange(10, 15), new ValueRange(25, 40)], set.Ranges);
        Assert.True(set.Contains(14) && !set.Contains(15) && set.ContainsAll(26, 40));
        set.RemoveBelow(30);
        Assert.Equal([new ValueRange(30, 40)], set.Ranges);
        Assert.Equal(new ValueRange(30, 33), set.TakeFirst(3));
    }

    private static byte[] Encode(Func<Span<byte>, int> write, int expectedLength)
    {
        var buffer = new byte[2048];
        int length = write(buffer);
        Assert.Equal(expectedLength, length);
        return buffer[..length];
    }
}
