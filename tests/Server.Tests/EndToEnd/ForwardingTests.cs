using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Punch.Peer.Cli;
using Punch.Peer.Forwarding;
using Punch.Peer.Output;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.EndToEnd;

/// <summary>
/// <c>punch expose</c> and <c>punch forward</c> through the real server on loopback: TCP connections to
/// the forward listener reach a local service beside the exposing peer over the session's path, in
/// encrypted streams.
/// </summary>
public sealed class ForwardingTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static PeerUnderTest Peer(IPEndPoint server, string name, string? peer = null) =>
        new(PeerUnderTest.Fast(server, name, peer).Options with { Timeout = TimeSpan.FromSeconds(20) });

    /// <summary>An exposing peer named web and a forwarding peer named me, both running until the returned scope is disposed.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        public required PeerUnderTest Web { get; init; }
        public required PeerUnderTest Me { get; init; }
        public required Task<int> WebRun { get; init; }
        public required Task<int> MeRun { get; init; }
        public required CancellationTokenSource WebStop { get; init; }
        public required CancellationTokenSource MeStop { get; init; }
        public IPEndPoint Listen { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            await MeStop.CancelAsync();
            await WebStop.CancelAsync();
            await Task.WhenAll(WebRun, MeRun).WaitAsync(Limit);
            WebStop.Dispose();
            MeStop.Dispose();
        }
    }

    private static async Task<Pair> StartAsync(IPEndPoint server, IPEndPoint local)
    {
        var web = Peer(server, "web");
        var me = Peer(server, "me", "web");
        var webStop = new CancellationTokenSource();
        var meStop = new CancellationTokenSource();
        var webRun = web.ExposeAsync(new ExposeSettings { Local = local }, webStop.Token);
        await web.WaitForAsync<ExposingEvent>();
        var pair = new Pair
        {
            Web = web,
            Me = me,
            WebStop = webStop,
            MeStop = meStop,
            WebRun = webRun,
            MeRun = me.ForwardAsync(new ForwardSettings { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, meStop.Token),
        };
        pair.Listen = (await me.WaitForAsync<ForwardingEvent>(timeoutSeconds: 30)).Listen;
        return pair;
    }

    private IPEndPoint StartServer(out PunchAppFactory app)
    {
        app = new PunchAppFactory(_database);
        return app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
    }

    [Fact]
    public async Task Ten_megabytes_arrive_with_the_same_checksum_and_an_echo_goes_both_ways()
    {
        var server = StartServer(out var app);
        await using var _ = app;
        await using var service = new BlobService();
        await using var pair = await StartAsync(server, service.EndPoint);

        byte[] hash = await BlobService.FetchAsync(pair.Listen, 10_000_000, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(SHA256.HashData(BlobService.Blob(10_000_000)), hash);
        var upload = BlobService.Blob(1_000_000);
        Assert.Equal(upload, await EchoAsync(pair.Listen, upload).WaitAsync(Limit));
        await pair.Me.WaitForAsync<TunnelEvent>(e => e.State == "closed" && e.BytesIn == 10_000_000);
        Assert.DoesNotContain(pair.Me.All<TunnelEvent>(), e => e.State == "failed");
    }

    [Fact]
    public async Task Fifty_concurrent_connections_all_complete()
    {
        var server = StartServer(out var app);
        await using var _ = app;
        await using var service = new BlobService();
        await using var pair = await StartAsync(server, service.EndPoint);
        var expected = SHA256.HashData(BlobService.Blob(300_000));

        var hashes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => BlobService.FetchAsync(pair.Listen, 300_000, CancellationToken.None))).WaitAsync(Limit);

        Assert.All(hashes, hash => Assert.Equal(expected, hash));
        Assert.Equal(50, service.Connections);
    }

    [Fact]
    public async Task A_refused_local_port_resets_the_connection_with_the_reason_on_both_sides()
    {
        var server = StartServer(out var app);
        await using var _ = app;
        using var refusing = LoopbackPorts.RefusingTcpPort(out var closedPort);
        await using var pair = await StartAsync(server, closedPort);

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(pair.Listen);
        var buffer = new byte[16];
        // The visitor sees a reset (or at least an end) rather than a connection that hangs.
        try
        {
            Assert.Equal(0, await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Limit));
        }
        catch (SocketException e)
        {
            Assert.Equal(SocketError.ConnectionReset, e.SocketErrorCode);
        }

        var there = await pair.Web.WaitForAsync<TunnelEvent>(e => e.State == "failed");
        Assert.Equal($"{closedPort} refused the connection (is the service running?)", there.Reason);
        var here = await pair.Me.WaitForAsync<TunnelEvent>(e => e.State == "failed");
        Assert.Equal(there.Reason, here.Reason);
    }

    [Fact]
    public async Task A_visitor_closing_mid_transfer_ends_that_stream_on_both_sides_and_others_go_on()
    {
        var server = StartServer(out var app);
        await using var _ = app;
        await using var service = new BlobService();
        await using var pair = await StartAsync(server, service.EndPoint);

        using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await client.ConnectAsync(pair.Listen);
            var header = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(header, 100_000_000);
            await client.SendAsync(header, SocketFlags.None);
            var buffer = new byte[64 * 1024];
            for (int got = 0; got < 1_000_000;)
            {
                got += await client.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Limit);
            }

            client.LingerState = new LingerOption(true, 0);
        }

        var there = await pair.Web.WaitForAsync<TunnelEvent>(e => e.State == "failed", 30);
        Assert.NotNull(there.Reason);
        await pair.Me.WaitForAsync<TunnelEvent>(e => e.State == "failed", 30);
        Assert.Equal(SHA256.HashData(BlobService.Blob(50_000)), await BlobService.FetchAsync(pair.Listen, 50_000, CancellationToken.None).WaitAsync(Limit));
    }

    [Fact]
    public async Task The_exposing_peer_leaving_stops_forward_with_the_reason_and_frees_its_port()
    {
        var server = StartServer(out var app);
        await using var _ = app;
        await using var service = new BlobService();
#pragma warning disable CA2000 // this test stops the pair by hand (its stop sources are disposed below) to see what stopping does
        var pair = await StartAsync(server, service.EndPoint);
#pragma warning restore CA2000

        await pair.WebStop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await pair.WebRun.WaitAsync(Limit));

        Assert.Equal(ExitCodes.NoPath, await pair.MeRun.WaitAsync(Limit));
        var stopped = pair.Me.All<FailedEvent>().Last();
        Assert.Contains("forwarding to web stopped", stopped.Reason);
        Assert.Contains("web is leaving", stopped.Reason);
        using (var rebind = new TcpListener(pair.Listen))
        {
            rebind.Start(); // The forward listener is gone.
        }

        // Both sides reported the session closed: the server let go of its relay allocation.
        var relay = app.Services.GetRequiredService<Punch.Server.Relay.RelayView>();
        await Eventually.WaitForAsync(() => relay.Snapshot().Allocations.Count, count => count == 0, "the session's relay allocation to be released");

        // web comes back: a new forward reaches it.
        await using var again = await StartAsync(server, service.EndPoint);
        Assert.Equal(SHA256.HashData(BlobService.Blob(100_000)), await BlobService.FetchAsync(again.Listen, 100_000, CancellationToken.None).WaitAsync(Limit));
        pair.WebStop.Dispose();
        pair.MeStop.Dispose();
    }

    [Fact]
    public async Task A_listen_port_in_use_fails_at_start_naming_the_flag()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        using var error = new StringWriter();

        int exit = await PeerCommandLine.RunAsync(
            ["forward", "--server", "127.0.0.1:9", "--name", "me", "--peer", "web", "--listen", taken.LocalEndpoint.ToString()!],
            TextWriter.Null, error, TextReader.Null, CancellationToken.None).WaitAsync(Limit);

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith($"--listen {taken.LocalEndpoint} cannot be used", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<byte[]> EchoAsync(IPEndPoint through, byte[] data)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(through);
        var send = Task.Run(async () =>
        {
            await client.SendAsync(new byte[8], SocketFlags.None);
            await client.SendAsync(data, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        });
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        await send;
        return received.ToArray();
    }
}
