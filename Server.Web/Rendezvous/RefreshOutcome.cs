namespace Punch.Server.Rendezvous;

public enum RefreshOutcome
{
    Refreshed,
    Unregistered,
    NotRegistered,
    AddressMismatch,
}
