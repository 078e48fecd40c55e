namespace Punch.Peer.Sessions;

/// <summary>What the relay tells the <see cref="PathSwitch"/>.</summary>
internal interface IRelayListener
{
    void OnRelayActive(TimeSpan roundTripTime);

    void OnRelayUnavailable(string reason);

    void OnRelayClosed(string reason);
}
