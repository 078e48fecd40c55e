using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Punch.Server.Tests.Expose;

/// <summary>Bytes through a public port: whole, both ways, many at once, and one slow visitor holding back nobody else.</summary>
public sealed class ExposeTrafficTests : ExposeHost
{
    private static readonly byte[] TenMegabytes = RandomNumberGenerator.GetBytes(10 * 1024 * 1024);

    [Fact]
    public async Task Ten_megabytes_from_the_local_service_arrive_whole()
    {
        var (_, port) = await ExposeLocalAsync("files", LocalService.Mode.Download, TenMegabytes);

        using var visitor = await VisitAsync(port);
        var (hash, length) = await ReadToEndAsync(visitor.GetStream());

        Assert.Equal(TenMegabytes.Length, length);
        Assert.Equal(SHA256.HashData(TenMegabytes), hash);
        var service = Assert.Single(Snapshot.Services);
        Assert.Equal(TenMegabytes.Length, service.BytesToVisitors);

        // The REST API lists the same service with its traffic.
        using var api = App.CreateClient();
        var listed = (await api.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/exposed").WaitAsync(Timeout)).GetProperty("services").EnumerateArray().Single();
        Assert.Equal(("files", port, (long)TenMegabytes.Length), (listed.GetProperty("peer").GetString(), listed.GetProperty("publicPort").GetInt32(), listed.GetProperty("bytesToVisitors").GetInt64()));
        Assert.StartsWith("127.0.0.1:", listed.GetProperty("localService").GetString());
    }

    [Fact]
    public async Task Ten_megabytes_echoed_come_back_whole_after_a_half_close()
    {
        var (_, port) = await ExposeLocalAsync("echo", LocalService.Mode.Echo);

        using var visitor = await VisitAsync(port);
        var stream = visitor.GetStream();
        var reading = ReadToEndAsync(stream);
        await stream.WriteAsync(TenMegabytes).AsTask().WaitAsync(Timeout);
        // Half-close: the echo service sees the end, sends the rest, and closes; the answer must still arrive.
        visitor.Client.Shutdown(SocketShutdown.Send);
        var (hash, length) = await reading;

        Assert.Equal(TenMegabytes.Length, length);
        Assert.Equal(SHA256.HashData(TenMegabytes), hash);
    }

    [Fact]
    public async Task Fifty_concurrent_connections_all_complete()
    {
        var payload = RandomNumberGenerator.GetBytes(256 * 1024);
        var (_, port) = await ExposeLocalAsync("many", LocalService.Mode.Download, payload);

        // From five loopback addresses, ten each: one address may hold only Expose:MaxConnectionsPerVisitorAddress (32).
        var visits = Enumerable.Range(0, 50).Select(async i =>
        {
            using var visitor = await VisitAsync(port, new System.Net.IPAddress([127, 0, 0, (byte)(1 + (i % 5))]));
            return await ReadToEndAsync(visitor.GetStream());
        });
        var results = await Task.WhenAll(visits).WaitAsync(Timeout);

        var expected = SHA256.HashData(payload);
        Assert.All(results, r => Assert.Equal(expected, r.Hash));
        Assert.Equal(50, Assert.Single(Snapshot.Services).TotalConnections);
        await WaitForNoVisitorsAsync();
    }

    [Fact]
    public async Task A_visitor_that_stops_reading_does_not_stall_another()
    {
        var (_, port) = await ExposeLocalAsync("shared", LocalService.Mode.Download, TenMegabytes);

        // Reads nothing: its share of the buffers fills, and its own pump waits on TCP flow control.
        using var stalled = await VisitAsync(port);
        await Eventually(() => Snapshot.Services.Single().Visitors.Any(v => v.BytesToVisitor > 0), "the stalled visitor's transfer started");

        using var reader = await VisitAsync(port);
        var (hash, _) = await ReadToEndAsync(reader.GetStream());

        Assert.Equal(SHA256.HashData(TenMegabytes), hash);
        Assert.Contains(Snapshot.Services.Single().Visitors, v => v.BytesToVisitor < TenMegabytes.Length);
    }

    [Fact]
    public async Task A_visitor_closing_mid_transfer_leaves_no_connection_behind()
    {
        var (peer, port) = await ExposeLocalAsync("partial", LocalService.Mode.Download, TenMegabytes);

        using (var visitor = await VisitAsync(port))
        {
            var buffer = new byte[64 * 1024];
            await visitor.GetStream().ReadAtLeastAsync(buffer, buffer.Length).AsTask().WaitAsync(Timeout);
            visitor.Client.LingerState = new LingerOption(true, 0);
        }

        await WaitForNoVisitorsAsync();
        var closed = await peer.WaitForLineAsync("visitor-closed");
        Assert.True(closed.GetProperty("bytesOut").GetInt64() < TenMegabytes.Length);
        await EventCountAsync("VisitorClosed", "partial");
        // The service itself stays up for the next visitor.
        using var next = await VisitAsync(port);
        Assert.Equal(TenMegabytes.Length, (await ReadToEndAsync(next.GetStream())).Length);
    }

    private static Task Eventually(Func<bool> condition, string what) =>
        Punch.Tests.Shared.Eventually.WaitForAsync(condition, done => done, what);

    private static async Task<(byte[] Hash, long Length)> ReadToEndAsync(NetworkStream stream)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[64 * 1024];
        long total = 0;
        while (true)
        {
            int read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            if (read == 0)
            {
                return (hash.GetHashAndReset(), total);
            }

            hash.AppendData(buffer, 0, read);
            total += read;
        }
    }
}
