using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Punch.Core.Protocol;
using Punch.Peer.Output;
using Punch.Server.Events;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.EndToEnd;

/// <summary>
/// The real server (in-process host, real UDP socket on loopback, real SQLite file) and two real
/// peers (the punch peer run in-process, its own UDP sockets on loopback).
/// </summary>
public sealed class TwoPeersTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Peers_meet_punch_and_keep_talking_after_the_server_stops_and_everything_is_recorded()
    {
        var app = new PunchAppFactory(_database);
        try
        {
            var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
            var hubEvents = new ConcurrentQueue<StoredEvent>();
            await using var hub = await HubClient.ConnectAsync(app, hubEvents);

            var alice = PeerUnderTest.Fast(server, "alice", "bob", count: 40);
            var bob = PeerUnderTest.Fast(server, "bob", "alice", count: 40);
            var aliceRun = alice.ConnectAsync();
            var bobRun = bob.ConnectAsync();

            var alicePath = await alice.WaitForDirectPathAsync();
            var bobPath = await bob.WaitForDirectPathAsync();
            Assert.Equal(PathKind.Direct, alicePath.Kind);
            Assert.Equal(alicePath.SessionId, bobPath.SessionId);
            Assert.Equal(IPAddress.Loopback, alicePath.Remote.Address);
            string sessionId = alicePath.SessionId.ToString();

            // The server heard both reports: the REST API and the hub show the session as direct.
            using var http = app.CreateClient();
            // The path is up at the peers before the writer has stored the server's events: until then the session is 404.
            var session = await Eventually.WaitForAsync(
                async () =>
                {
                    using var response = await http.GetAsync($"/api/sessions/{sessionId}");
                    return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
                },
                s => s.ValueKind == JsonValueKind.Object && s.GetProperty("session").GetProperty("state").GetString() == "Direct",
                "the session to be Direct over REST");
            // The first path (the relay, on loopback) can come up within the same millisecond as the introduction.
            Assert.True(session.GetProperty("session").GetProperty("timeToConnectMs").GetDouble() >= 0, $"no time to connect: {session}");
            await Eventually.WaitForAsync(() => hubEvents.Count(e => e.Kind == PunchEventKind.PathUp && e.PathKind == "direct" && e.SessionId == sessionId), n => n == 2, "both direct PathUp events on the hub");
            // Traffic started on the relay within a round trip of the introduction, then moved to the punched path.
            Assert.Contains(hubEvents, e => e.Kind == PunchEventKind.PathUp && e.PathKind == "relayed" && e.SessionId == sessionId);
            Assert.Contains(hubEvents, e => e.Kind == PunchEventKind.Registered && e.Peer == "alice");
            Assert.Contains(hubEvents, e => e.Kind == PunchEventKind.Introduced && e.SessionId == sessionId);
            var events = await http.GetFromJsonAsync<JsonElement>("/api/events?afterId=0&limit=1000");
            var kinds = events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ToList();
            Assert.Contains("ConnectRequested", kinds);
            Assert.Contains("Punching", kinds);

            // Stop the server; the peers no longer need it.
            await hub.DisposeAsync();
            await app.DisposeAsync().AsTask().WaitAsync(Limit);
            int alicePongsBefore = alice.All<PongEvent>().Count();
            int bobPongsBefore = bob.All<PongEvent>().Count();

            Assert.Equal(0, await aliceRun.WaitAsync(Limit));
            Assert.Equal(0, await bobRun.WaitAsync(Limit));
            Assert.True(alice.All<PongEvent>().Count() > alicePongsBefore, $"alice got no pong after the server stopped ({alicePongsBefore} before)");
            Assert.True(bob.All<PongEvent>().Count() > bobPongsBefore, $"bob got no pong after the server stopped ({bobPongsBefore} before)");

            // What the server wrote before it stopped is in the file.
            Assert.Equal(2, _database.Scalar("SELECT COUNT(*) FROM Peers WHERE Name IN ('alice', 'bob')"));
            Assert.Equal(1, _database.Scalar($"SELECT COUNT(*) FROM Sessions WHERE Id = '{sessionId}' AND State = 'Direct'"));
            Assert.Equal(2, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE SessionId = '{sessionId}' AND Kind = 'PathUp' AND PathKind = 'direct'"));
            Assert.Equal(2, _database.Scalar($"SELECT COUNT(*) FROM Events WHERE SessionId = '{sessionId}' AND Kind = 'ChecksSummary' AND ChecksSent > 0"));
            Assert.True(_database.Scalar($"SELECT ChecksSent FROM Sessions WHERE Id = '{sessionId}'") > 0, "the session's check totals are empty");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_listener_answers_a_connecting_peer_and_a_stranger_name_fails_with_exit_1()
    {
        await using var app = new PunchAppFactory(_database);
        var server = app.Services.GetRequiredService<RendezvousEndpoint>().LocalEndPoint!;
        using var stop = new CancellationTokenSource(Limit);
        var listener = PeerUnderTest.Fast(server, "echo", peer: null);
        var listening = listener.ListenAsync(stop.Token);
        await listener.WaitForAsync<RegisteredEvent>();

        var visitor = PeerUnderTest.Fast(server, "visitor", "echo", count: 3);
        Assert.Equal(0, await visitor.ConnectAsync().WaitAsync(Limit));
        Assert.Equal(3, visitor.All<PongEvent>().Count());

        var lost = PeerUnderTest.Fast(server, "lost", "nobody", count: 1);
        var lostOptions = lost.Options with { Timeout = TimeSpan.FromSeconds(2) };
        Assert.Equal(1, await new PeerUnderTest(lostOptions).ConnectAsync().WaitAsync(Limit));

        await stop.CancelAsync();
        Assert.Equal(0, await listening.WaitAsync(Limit));
    }
}
