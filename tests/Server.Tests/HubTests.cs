using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Punch.Server.Events;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

public sealed class HubTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData(HttpTransportType.LongPolling)]
    [InlineData(HttpTransportType.WebSockets)]
    public async Task Hub_clients_receive_stored_events_with_their_ids(HttpTransportType transport)
    {
        await using var app = new PunchAppFactory(_database);
        var received = new ConcurrentQueue<StoredEvent>();
        await using var connection = await HubClient.ConnectAsync(app, received, transport);

        var peers = new SimulatedPeers(app.Sink);
        await peers.RegisterAsync("hub", "alice");
        await peers.RegisterAsync("hub", "bob");
        var sessionId = await peers.ConnectDirectAsync("hub", "alice", "bob");

        await Eventually.WaitForAsync(() => received.Count, n => n >= 9, "9 events over the hub");
        var events = received.ToArray();
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), events.Select(e => e.Id));
        Assert.Equal(PunchEventKind.Registered, events[0].Kind);
        Assert.Equal("alice", events[0].Peer);
        Assert.NotNull(events[0].Candidates);
        var pathUp = events.First(e => e.Kind == PunchEventKind.PathUp);
        Assert.Equal(sessionId, pathUp.SessionId);
        Assert.Equal(3.25, pathUp.RttMs);
    }
}
