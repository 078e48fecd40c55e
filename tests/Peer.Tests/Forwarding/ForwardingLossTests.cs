using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Peer.Forwarding;
using Punch.Peer.Output;
using Punch.Tests.Shared;

namespace Punch.Peer.Tests.Forwarding;

/// <summary>
/// expose and forward over loopback with <see cref="FakeRendezvous"/>, where the peers' own test hook
/// can lose datagrams: 5% of everything between the peers (checks, frames, stream packets) is lost
/// and transfers still complete; and the same over the relay alone.
/// </summary>
public sealed class ForwardingLossTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    /// <summary>Loses a fixed share of the datagrams between the peers (never the server's), from one seeded generator.</summary>
    private sealed class Lossy(FakeRendezvous server, double share, int seed)
    {
        private readonly Random _random = new(seed);
        private readonly Lock _gate = new();

        public bool Lose(IPEndPoint endPoint)
        {
            if (server.Owns(endPoint))
            {
                return false;
            }

            lock (_gate)
            {
                return _random.NextDouble() < share;
            }
        }
    }

    private static PeerUnderTest Peer(FakeRendezvous server, string name, string? peer, Func<IPEndPoint, bool>? lose, PathPolicy paths) =>
        new(PeerUnderTest.Fast(server.EndPoint, name, peer).Options with { Timeout = TimeSpan.FromSeconds(20), LoseTraffic = lose, Paths = paths });

    [Theory]
    [InlineData(PathPolicy.RelayThenDirect, 0.05)]
    [InlineData(PathPolicy.RelayOnly, 0.0)]
    public async Task A_large_transfer_and_twenty_concurrent_ones_complete(PathPolicy paths, double loss)
    {
        await using var server = new FakeRendezvous(offerRelay: true);
        await using var service = new BlobService();
        var lossy = new Lossy(server, loss, seed: 7);
        var web = Peer(server, "web", null, lossy.Lose, paths);
        var me = Peer(server, "me", "web", lossy.Lose, paths);
        using var stop = new CancellationTokenSource();
        var webRun = web.ExposeAsync(new ExposeSettings { Local = service.EndPoint }, stop.Token);
        await web.WaitForAsync<ExposingEvent>();
        var meRun = me.ForwardAsync(new ForwardSettings { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, stop.Token);
        var listen = (await me.WaitForAsync<ForwardingEvent>(timeoutSeconds: 30)).Listen;
        try
        {
            Assert.Equal(SHA256.HashData(BlobService.Blob(3_000_000)), await BlobService.FetchAsync(listen, 3_000_000, CancellationToken.None).WaitAsync(Limit));
            var expected = SHA256.HashData(BlobService.Blob(100_000));
            var hashes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => BlobService.FetchAsync(listen, 100_000, CancellationToken.None))).WaitAsync(Limit);
            Assert.All(hashes, hash => Assert.Equal(expected, hash));
            if (paths == PathPolicy.RelayOnly)
            {
                Assert.All(me.All<PathEvent>(), path => Assert.Equal(PathKind.Relayed, path.Kind));
            }
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync();
            await Task.WhenAll(webRun, meRun).WaitAsync(Limit);
            throw new TimeoutException($"a fetch did not complete within {Limit.TotalSeconds} s;\nme:\n{me.OutputText}\nweb:\n{web.OutputText}");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(webRun, meRun).WaitAsync(Limit);
        }
    }

    [Fact]
    public void Forwarding_events_have_documented_json_fields()
    {
        string line = JsonLinesSink.Format(new TunnelEvent("web", 4, "failed", "127.0.0.1:8080", 10, 20, "127.0.0.1:8080 refused the connection (is the service running?)"));
        Assert.Equal("""{"event":"tunnel","peer":"web","stream":4,"state":"failed","endpoint":"127.0.0.1:8080","bytesIn":10,"bytesOut":20,"reason":"127.0.0.1:8080 refused the connection (is the service running?)"}""", line);
        Assert.Equal("""{"event":"forwarding","peer":"web","sessionId":"0000000000000007","listen":"127.0.0.1:9000"}""",
            JsonLinesSink.Format(new ForwardingEvent("web", new SessionId(7), new IPEndPoint(IPAddress.Loopback, 9000))));
        Assert.Equal("""{"event":"exposing","name":"web","local":"127.0.0.1:8080"}""", JsonLinesSink.Format(new ExposingEvent("web", "127.0.0.1:8080")));
        Assert.Equal("connection 4 with web (127.0.0.1:8080) failed: 10 bytes in, 20 out; nope", HumanSink.Format(new TunnelEvent("web", 4, "failed", "127.0.0.1:8080", 10, 20, "nope")));
    }
}
