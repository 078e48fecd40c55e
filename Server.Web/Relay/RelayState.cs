namespace Punch.Server.Relay;

public enum RelayState
{
    /// <summary>The channel is the session's, nothing is forwarded: no side activated yet, or forwarding was released (direct path, idle, rate limit). Activation forwards again.</summary>
    Reserved,
    /// <summary>At least one side activated; frames between activated sides are forwarded.</summary>
    Forwarding,
    /// <summary>The session used up <see cref="RelayOptions.MaxBytes"/>: forwarding stopped for good, activation is refused (486).</summary>
    Exhausted,
}
