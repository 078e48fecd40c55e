namespace Punch.Server.Events;

/// <summary>
/// Where the rendezvous drops its events. Implementations never block the caller: the UDP receive
/// loop must not wait on the database or the browser.
/// </summary>
public interface IPunchEventSink
{
    /// <summary>Queues the event; returns false (and counts the drop) when the bounded queue is full.</summary>
    bool TryPublish(PunchEvent punchEvent);
}
