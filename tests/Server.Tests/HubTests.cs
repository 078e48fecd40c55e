using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Api;
using Punch.Server.Events;
using Punch.Server.Hubs;
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
        var server = app.Server;
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, HubsRegistration.PunchHubPath), options =>
            {
                options.Transports = transport;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) =>
                {
                    var client = server.CreateWebSocketClient();
                    return await client.ConnectAsync(context.Uri, ct);
                };
            })
            .AddJsonProtocol(json => PunchJson.Configure(json.PayloadSerializerOptions))
            .Build();
        var received = new ConcurrentQueue<PunchEvent>();
        connection.On<PunchEvent>(nameof(IPunchClient.Event), received.Enqueue);
        await connection.StartAsync().WaitAsync(Limit);

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
