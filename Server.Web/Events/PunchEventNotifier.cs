using System.Collections.Immutable;

namespace Punch.Server.Events;

/// <summary>
/// In-process fan-out of stored events to the dashboard's Blazor components (which live in the same
/// process as the broadcaster and need no SignalR round trip). Handlers run on the broadcaster's
/// thread and must return quickly (a component just schedules a refresh).
/// </summary>
public sealed partial class PunchEventNotifier(ILogger<PunchEventNotifier> logger)
{
    private ImmutableArray<Action<StoredEvent>> _handlers = [];

    public IDisposable Subscribe(Action<StoredEvent> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, list => list.Add(handler));
        return new Subscription(this, handler);
    }

    public int SubscriberCount => _handlers.Length;

    public void Publish(StoredEvent stored)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                handler(stored);
            }
            catch (Exception ex)
            {
                // One broken page must not stop the feed for the others.
                LogHandlerFailed(logger, ex, stored.Id);
            }
        }
    }

    private void Unsubscribe(Action<StoredEvent> handler) =>
        ImmutableInterlocked.Update(ref _handlers, list => list.Remove(handler));

    private sealed class Subscription(PunchEventNotifier owner, Action<StoredEvent> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(handler);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dashboard subscriber failed on event {EventId}")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, long eventId);
}
