using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// The main port's sockets: several SO_REUSEPORT sockets, each with its own receive thread, read in
/// batches (recvmmsg/sendmmsg) on Linux; each reply leaves from the port its request came to; with
/// Rendezvous:BatchedIo=false the same happens one datagram per call.
/// </summary>
public sealed class BatchedReceiveTests
{
    private const int Sources = 32;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Several_sockets_share_the_port_and_every_reply_leaves_from_it(bool batched)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SO_REUSEPORT balancing and recvmmsg are Linux's: elsewhere the port has one socket.
        }

        var threads = new ConcurrentDictionary<int, int>();
        var stats = TestMeters.NewRendezvousStats();
        using var loop = UdpReceiveLoop.Start(new IPEndPoint(IPAddress.Loopback, 0), "Test:Port", new UdpListenSettings(4, 1 << 20, batched),
            (datagram, from, reply, sender) =>
            {
                threads.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1);
                datagram.CopyTo(reply);
                sender.Send(reply[..datagram.Length], from);
            }, stats, limiter: null, NullLogger.Instance);

        Assert.Equal(4, loop.SocketCount);
        await Eventually.WaitForAsync(() => Task.FromResult((long)loop.BatchedCount), n => n == (batched ? 4 : 0), $"{(batched ? 4 : 0)} batched receive threads");
        var clients = Enumerable.Range(0, Sources).Select(_ => new UdpTestClient(loop.LocalEndPoint)).ToList();
        try
        {
            foreach (var (client, i) in clients.Select((c, i) => (c, i)))
            {
                client.Send([0x00, 0x01, 0x00, 0x00, (byte)i]);
                var (reply, from) = await client.ReceiveFromAsync();
                Assert.Equal([0x00, 0x01, 0x00, 0x00, (byte)i], reply);
                Assert.Equal(loop.LocalEndPoint, from);
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        // 32 sources hashed over 4 sockets all landing on one: (1/4)^31, never in practice.
        Assert.True(threads.Count > 1, $"all {Sources} sources were served by one receive thread");
        Assert.Equal(Sources, stats.Snapshot().DatagramsSent);
        loop.Stop();
    }

    [Fact]
    public void Port_zero_binds_every_socket_to_the_port_the_first_one_got_and_a_taken_port_names_the_key()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // SO_REUSEPORT is Linux's.
        }

        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var at = (IPEndPoint)taken.LocalEndPoint!;
        var refused = Assert.Throws<Punch.Server.Hosting.StartupException>(() =>
            UdpReceiveLoop.Start(at, "Rendezvous:Port", new UdpListenSettings(3, 0, true), (_, _, _, _) => { }, TestMeters.NewRendezvousStats(), null, NullLogger.Instance));
        Assert.Contains("Rendezvous:Port", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_server_answers_Binding_with_batching_off_and_reports_its_sockets()
    {
        using var database = new TempDatabase();
        await using var app = new PunchAppFactory(database, new Dictionary<string, string?>
        {
            ["Rendezvous:BatchedIo"] = "false",
            ["Rendezvous:ReceiveThreads"] = "2",
        });
        var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
        using var client = new UdpTestClient(server);
        var request = new byte[20];
        request[1] = 0x01;
        request[4] = 0x21; request[5] = 0x12; request[6] = 0xA4; request[7] = 0x42;
        client.Send(request);
        var (reply, from) = await client.ReceiveFromAsync();
        Assert.Equal(0x01, reply[0]);
        Assert.Equal(0x01, reply[1]);
        Assert.Equal(server, from);
    }

    [Theory]
    [InlineData(0, 4 << 20, "Rendezvous:ReceiveThreads")]
    [InlineData(65, 4 << 20, "Rendezvous:ReceiveThreads")]
    [InlineData(2, 1000, "Rendezvous:ReceiveBufferBytes")]
    [InlineData(2, -1, "Rendezvous:ReceiveBufferBytes")]
    public void A_bad_receive_setting_fails_the_start_naming_its_key(int threads, int bufferBytes, string key)
    {
        var result = new RendezvousOptionsValidator().Validate(null, new RendezvousOptions { ReceiveThreads = threads, ReceiveBufferBytes = bufferBytes });
        Assert.True(result.Failed);
        Assert.Contains(key, result.FailureMessage, StringComparison.Ordinal);
        Assert.True(new RendezvousOptionsValidator().Validate(null, new RendezvousOptions { ReceiveThreads = 2, ReceiveBufferBytes = 0 }).Succeeded);
    }
}
