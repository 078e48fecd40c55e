using Punch.Server.Events;

namespace Punch.Server.Hubs;

/// <summary>What the server calls on every connected client.</summary>
public interface IPunchClient
{
    /// <summary>One stored event (with its database id), in the order the writer committed them.</summary>
    Task Event(StoredEvent storedEvent);
}
