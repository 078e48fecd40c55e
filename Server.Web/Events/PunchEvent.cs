namespace Punch.Server.Events;

/// <summary>
/// One state change as a publisher reports it, on its way from the UDP receive loop (or the expose
/// server) through the bounded event channel to the SQLite writer. Each kind is its own record with
/// only the fields that kind has, so a publisher cannot fill a field the kind does not carry and the
/// projector reads typed fields instead of guessing which optional ones are set. The readers get the
/// flat <see cref="StoredEvent"/> that <see cref="ToStored"/> makes.
/// </summary>
public abstract record PunchEvent
{
    public abstract PunchEventKind Kind { get; }
    public required DateTimeOffset At { get; init; }
    public required string Network { get; init; }
    /// <summary>The peer the event is about, or the peer that reported it.</summary>
    public required string Peer { get; init; }

    /// <summary>The flat shape the event log, the hub and the API use; its <see cref="StoredEvent.Id"/> is 0 until stored.</summary>
    public StoredEvent ToStored() => Describe(new StoredEvent { Kind = Kind, At = At, Network = Network, Peer = Peer });

    /// <summary>Adds this kind's own fields to the common ones.</summary>
    protected abstract StoredEvent Describe(StoredEvent common);

    /// <summary>For records that stand for several kinds with the same data: refuses a kind outside the group.</summary>
    protected static PunchEventKind OneOf(PunchEventKind kind, params ReadOnlySpan<PunchEventKind> group) =>
        group.Contains(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"expected one of {string.Join(", ", group.ToArray())}");
}
