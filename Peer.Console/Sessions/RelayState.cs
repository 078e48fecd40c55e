namespace Punch.Peer.Sessions;

internal enum RelayState
{
    /// <summary>Not asked for yet, or closed by the server (a later fallback asks again).</summary>
    Idle,
    Activating,
    /// <summary>The server forwards the session's channel between the two peers' activated endpoints.</summary>
    Active,
    /// <summary>The server refused or never answered: no relay for this session.</summary>
    Unavailable,
}
