namespace Punch.Peer.Output;

/// <summary>
/// Something a peer did or saw. Each event is one JSON line under <c>--json</c> (schema in
/// docs/peer-json.md) and one short sentence otherwise; tests can also observe them directly.
/// </summary>
public abstract record PeerEvent
{
    /// <summary>The value of the JSON <c>event</c> field.</summary>
    public abstract string EventName { get; }
}
