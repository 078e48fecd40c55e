using Punch.Server.Events;

namespace Punch.Server.Storage;

/// <summary>A session with its events in the order they were stored.</summary>
public sealed record SessionDetail(SessionView Session, IReadOnlyList<StoredEvent> Events);
