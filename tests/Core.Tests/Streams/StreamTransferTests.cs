using System.Security.Cryptography;
using Punch.Core.Streams;

namespace Punch.Core.Tests.Streams;

public sealed class StreamTransferTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private static byte[] RandomData(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(0.0, 1)]
    [InlineData(0.05, 2)]
    [InlineData(0.20, 3)]
    public void Bulk_transfer_arrives_intact_through_loss(double loss, int seed)
    {
        using var link = new StreamLink(seed) { Loss = loss };
        var data = RandomData(seed, 1_000_000);
        var transfer = new BulkTransfer(link, data);

        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));

        Assert.Equal(SHA256.HashData(data), SHA256.HashData(transfer.Received));
        if (loss > 0)
        {
            Assert.True(link.Opener.PacketsLost > 0);
        }
    }

    [Fact]
    public void Reordered_and_duplicated_datagrams_still_deliver_in_order_once()
    {
        using var link = new StreamLink(4) { Jitter = TimeSpan.FromMilliseconds(30), Duplication = 0.2, Loss = 0.02 };
        var data = RandomData(4, 500_000);
        var transfer = new BulkTransfer(link, data);

        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));

        Assert.Equal(data, transfer.Received);
        Assert.True(link.Acceptor.PacketsDropped > 0, "duplicates are refused by the replay window");
    }

    [Fact]
    public void A_full_receive_window_blocks_the_sender_until_the_reader_reads()
    {
        using var link = new StreamLink(5);
        var data = RandomData(5, 2_000_000);
        var transfer = new BulkTransfer(link, data) { ReadPaused = true };

        // Nothing is read: the sender fills the stream window and its own buffer, then stops.
        Assert.False(link.RunUntil(() => transfer.Finished, TimeSpan.FromSeconds(20), transfer.Step));
        int stalledAt = transfer.Written;
        Assert.InRange(stalledAt, StreamConnectionOptions.InitialStreamWindow, StreamConnectionOptions.InitialStreamWindow + (256 * 1024));
        Assert.False(link.RunUntil(() => transfer.Written > stalledAt, TimeSpan.FromSeconds(5), transfer.Step));

        transfer.ReadPaused = false;
        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));
        Assert.Equal(data, transfer.Received);
        Assert.Contains(link.OpenerEvents, e => e.Kind == StreamEventKind.Writable);
    }

    [Fact]
    public void Many_streams_at_once_each_arrive_intact_and_are_forgotten_afterwards()
    {
        using var link = new StreamLink(6) { Loss = 0.02 };
        const int Streams = 60;
        var payloads = Enumerable.Range(0, Streams).Select(i => RandomData(100 + i, 20_000 + (i * 1000))).ToArray();
        var written = new int[Streams];
        var ids = new ulong[Streams];
        var received = new Dictionary<ulong, MemoryStream>();
        var finished = new HashSet<ulong>();
        var closedHere = new HashSet<ulong>();
        var buffer = new byte[8192];
        int opened = 0;

        void Step()
        {
            while (opened < Streams && link.Opener.TryOpenStream(out ulong id))
            {
                ids[opened++] = id;
            }

            for (int i = 0; i < opened; i++)
            {
                if (written[i] < payloads[i].Length)
                {
                    written[i] += Math.Max(0, link.Opener.Write(ids[i], payloads[i].AsSpan(written[i])));
                    if (written[i] == payloads[i].Length)
                    {
                        link.Opener.Finish(ids[i]);
                    }
                }
            }

            for (int i = 0; i < opened; i++)
            {
                // The acceptor's FIN: the opener reads its (empty) side to the end, so the stream can be forgotten.
                if (!closedHere.Contains(ids[i]) && link.Opener.Read(ids[i], buffer).Status == StreamReadStatus.Finished)
                {
                    closedHere.Add(ids[i]);
                }
            }

            foreach (var e in link.AcceptorEvents.Where(e => e.Kind == StreamEventKind.StreamOpened))
            {
                received.TryAdd(e.StreamId, new MemoryStream());
            }

            foreach (var (id, stream) in received)
            {
                while (!finished.Contains(id))
                {
                    var result = link.Acceptor.Read(id, buffer);
                    stream.Write(buffer, 0, result.Bytes);
                    if (result.Status == StreamReadStatus.Finished)
                    {
                        finished.Add(id);
                        link.Acceptor.Finish(id);
                    }

                    if (result.Status != StreamReadStatus.Data)
                    {
                        break;
                    }
                }
            }
        }

        Assert.True(link.RunUntil(() => finished.Count == Streams && link.Opener.StreamCount == 0 && link.Acceptor.StreamCount == 0, Limit, Step));

        for (int i = 0; i < Streams; i++)
        {
            Assert.Equal(payloads[i], received[ids[i]].ToArray());
        }
    }

    [Fact]
    public void A_reset_reaches_the_peer_with_its_reason_and_frees_the_stream()
    {
        using var link = new StreamLink(7);
        Assert.True(link.Opener.TryOpenStream(out ulong id));
        link.Opener.Write(id, new byte[5000]);
        Assert.True(link.RunUntil(() => link.AcceptorEvents.Exists(e => e.Kind == StreamEventKind.StreamOpened), Limit));

        link.Acceptor.ResetStream(id, StreamErrorCode.Refused, "127.0.0.1:8080 refused the connection");

        Assert.True(link.RunUntil(() => link.OpenerEvents.Exists(e => e.Kind == StreamEventKind.Reset), Limit));
        var reset = link.OpenerEvents.Single(e => e.Kind == StreamEventKind.Reset);
        Assert.Equal(StreamErrorCode.Refused, reset.Code);
        Assert.Equal("127.0.0.1:8080 refused the connection", reset.Reason);
        Assert.Equal(-1, link.Opener.Write(id, new byte[10]));
        Assert.True(link.RunUntil(() => link.Opener.StreamCount == 0 && link.Acceptor.StreamCount == 0, Limit));
    }

    [Fact]
    public void The_congestion_window_grows_without_loss_and_shrinks_on_loss()
    {
        using var link = new StreamLink(8);
        var transfer = new BulkTransfer(link, RandomData(8, 3_000_000));
        Assert.True(link.RunUntil(() => transfer.Written > 1_000_000, Limit, transfer.Step));
        long grown = link.Opener.CongestionWindow;
        Assert.True(grown > NewRenoCongestion.InitialWindow, $"window {grown} grew in slow start");

        link.Loss = 0.3;
        long lostBefore = link.Opener.PacketsLost;
        Assert.True(link.RunUntil(() => link.Opener.PacketsLost > lostBefore + 20, Limit, transfer.Step));

        Assert.True(link.Opener.CongestionWindow < grown, $"window {link.Opener.CongestionWindow} shrank from {grown}");
    }

    [Fact]
    public void A_tampered_packet_is_refused_and_the_transfer_recovers()
    {
        using var link = new StreamLink(9);
        int tampered = 0;
        link.Tamper = (toAcceptor, data) =>
        {
            // After the handshake: while it runs, packets that do not authenticate count as a wrong secret.
            if (toAcceptor && link.Acceptor.State == StreamConnectionState.Established && data[4] == (byte)StreamPacketType.Protected && tampered < 5 && data.Length > 100)
            {
                tampered++;
                data[^20] ^= 0x01;
            }

            return data;
        };
        var data = RandomData(9, 200_000);
        var transfer = new BulkTransfer(link, data);

        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));

        Assert.Equal(data, transfer.Received);
        Assert.Equal(5, tampered);
        Assert.True(link.Acceptor.PacketsDropped >= 5);
    }

    [Fact]
    public void Different_secrets_fail_the_handshake_with_a_clear_reason_on_both_sides()
    {
        using var link = new StreamLink(10,
            new StreamConnectionOptions { Secret = "correct horse"u8.ToArray() },
            new StreamConnectionOptions { Secret = "battery staple"u8.ToArray() });

        Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed && link.Acceptor.State == StreamConnectionState.Closed, Limit));

        Assert.Contains("--secret differ", link.Opener.CloseReason);
        Assert.Contains("--secret differ", link.Acceptor.CloseReason);
        Assert.Equal(StreamErrorCode.Handshake, link.Opener.CloseCode);
    }

    [Fact]
    public void A_secret_on_one_side_only_is_named()
    {
        using var link = new StreamLink(11, new StreamConnectionOptions { Secret = "only here"u8.ToArray() });

        Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed && link.Acceptor.State == StreamConnectionState.Closed, Limit));

        Assert.Contains("we use a --secret and the peer does not", link.Opener.CloseReason);
        Assert.Contains("the peer uses a --secret and we do not", link.Acceptor.CloseReason);
    }

    [Fact]
    public void The_same_secret_on_both_sides_connects()
    {
        var options = new StreamConnectionOptions { Secret = "shared"u8.ToArray() };
        using var link = new StreamLink(12, options, options);
        var data = RandomData(12, 10_000);
        var transfer = new BulkTransfer(link, data);

        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));
        Assert.Equal(data, transfer.Received);
    }

    [Fact]
    public void Lost_hellos_are_repeated_until_the_handshake_completes()
    {
        using var link = new StreamLink(13);
        int hellosDropped = 0;
        link.Tamper = (_, data) => data[4] == (byte)StreamPacketType.Hello && hellosDropped++ < 4 ? null : data;

        Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Established && link.Acceptor.State == StreamConnectionState.Established, Limit));
    }

    [Fact]
    public void A_silent_peer_ends_the_handshake_and_an_established_connection_with_reasons()
    {
        using (var link = new StreamLink(14) { Loss = 1.0 })
        {
            Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed, Limit));
            Assert.Contains("no handshake from the peer", link.Opener.CloseReason);
        }

        using (var link = new StreamLink(15))
        {
            Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Established && link.Acceptor.State == StreamConnectionState.Established, Limit));
            link.Loss = 1.0;
            Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed, Limit));
            Assert.Equal(StreamErrorCode.IdleTimeout, link.Opener.CloseCode);
        }
    }

    [Fact]
    public void Closing_tells_the_peer_why()
    {
        using var link = new StreamLink(16);
        Assert.True(link.RunUntil(() => link.Acceptor.State == StreamConnectionState.Established && link.Opener.State == StreamConnectionState.Established, Limit));

        link.Acceptor.Close(StreamErrorCode.Cancelled, "web is leaving");

        Assert.True(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed, Limit));
        Assert.True(link.Opener.ClosedByPeer);
        Assert.Equal("web is leaving", link.Opener.CloseReason);
    }

    [Fact]
    public void Keepalives_hold_an_idle_connection_open()
    {
        using var link = new StreamLink(17);
        Assert.False(link.RunUntil(() => link.Opener.State == StreamConnectionState.Closed || link.Acceptor.State == StreamConnectionState.Closed, TimeSpan.FromMinutes(3)));
        Assert.Equal(StreamConnectionState.Established, link.Opener.State);
    }

    [Fact]
    public void Opening_a_stream_announces_it_before_any_data_so_a_server_can_speak_first()
    {
        using var link = new StreamLink(18) { Loss = 0.3 };
        Assert.True(link.Opener.TryOpenStream(out ulong id));

        Assert.True(link.RunUntil(() => link.AcceptorEvents.Exists(e => e.Kind == StreamEventKind.StreamOpened), Limit));

        Assert.Equal(id, link.AcceptorEvents.Single(e => e.Kind == StreamEventKind.StreamOpened).StreamId);
        Assert.Equal(5, link.Acceptor.Write(id, "hello"u8));
        var buffer = new byte[16];
        Assert.True(link.RunUntil(() => link.Opener.Read(id, buffer).Bytes == 5, Limit));
        Assert.Equal("hello"u8.ToArray(), buffer[..5]);
    }

    [Fact]
    public void After_a_dead_path_the_transfer_resumes_within_a_round_trip_of_the_path_change()
    {
        using var link = new StreamLink(20);
        var data = RandomData(20, 2_000_000);
        var transfer = new BulkTransfer(link, data);
        Assert.True(link.RunUntil(() => transfer.Written > 500_000, Limit, transfer.Step));

        // The path dies for 10 s: the probe timer backs off far beyond a round trip.
        link.Loss = 1.0;
        link.RunUntil(() => false, TimeSpan.FromSeconds(10), transfer.Step);
        int receivedBefore = transfer.Received.Length;
        link.Loss = 0;
        link.Opener.OnPathChanged();

        Assert.True(link.RunUntil(() => transfer.Received.Length > receivedBefore, TimeSpan.FromMilliseconds(100), transfer.Step));
        Assert.True(link.RunUntil(() => transfer.Finished, Limit, transfer.Step));
        Assert.Equal(data, transfer.Received);
    }
}
