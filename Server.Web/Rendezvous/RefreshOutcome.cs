namespace Punch.Server.Rendezvous;

public enum RefreshOutcome
{
    /// <summary>Refreshed, and the dashboard is told (a Refreshed event): the peer's NAT report changed, or its last event is a peer lifetime old.</summary>
    Refreshed,
    /// <summary>Refreshed with nothing new to show and an event younger than a peer lifetime: no event (see <see cref="PeerRegistry.Refresh"/>).</summary>
    RefreshedQuietly,
    Unregistered,
    NotRegistered,
    AddressMismatch,
}
