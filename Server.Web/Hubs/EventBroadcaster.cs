using Microsoft.AspNetCore.SignalR;
using Punch.Server.Events;

namespace Punch.Server.Hubs;

/// <summary>
/// Pushes stored events to the SignalR hub (external clients) and to the in-process notifier (the
/// dashboard's components). Runs apart from the writer so a slow client never delays the database.
/// </summary>
public sealed partial class EventBroadcaster(
    StoredEventChannel stored,
    IHubContext<PunchHub, IPunchClient> hub,
    PunchEventNotifier notifier,
    ILogger<EventBroadcaster> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var storedEvent in stored.Reader.ReadAllAsync(stoppingToken))
            {
                notifier.Publish(storedEvent);
                try
                {
                    // SendAsync only queues the message on each connection; it does not wait for clients.
                    await hub.Clients.All.Event(storedEvent);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHubSendFailed(logger, ex, storedEvent.Id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: the live feed ends with the app; the database has every event.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending event {EventId} to the hub failed")]
    private static partial void LogHubSendFailed(ILogger logger, Exception exception, long eventId);
}
