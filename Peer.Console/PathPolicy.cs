namespace Punch.Peer;

/// <summary>Which paths a peer may use: <c>--relay-only</c> never punches, <c>--direct-only</c> never relays.</summary>
public enum PathPolicy
{
    RelayThenDirect,
    RelayOnly,
    DirectOnly,
}
