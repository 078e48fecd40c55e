using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Api;
using Punch.Server.Events;
using Punch.Server.Hosting;
using Punch.Server.Hubs;
using Punch.Tests.Shared;

namespace Punch.Server.Tests;

/// <summary>A real SignalR client of the in-process server's hub, collecting every event it is sent.</summary>
public static class HubClient
{
    public static async Task<HubConnection> ConnectAsync(PunchAppFactory app, ConcurrentQueue<StoredEvent> received, HttpTransportType transport = HttpTransportType.LongPolling)
    {
        var server = app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, HttpPaths.Hub), options =>
            {
                options.Transports = transport;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.WebSocketFactory = async (context, ct) => await server.CreateWebSocketClient().ConnectAsync(context.Uri, ct);
            })
            .AddJsonProtocol(json => PunchJson.Configure(json.PayloadSerializerOptions))
            .Build();
        connection.On<StoredEvent>(nameof(IPunchClient.Event), received.Enqueue);
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return connection;
    }
}
