namespace Punch.Server.Rendezvous;

public enum AuthenticationOutcome
{
    /// <summary>Not a request that needs a key, or its network has none: handle as always.</summary>
    Open,
    /// <summary>Signed with the network's key, fresh, and new: handle it and <see cref="RequestAuthenticator.Remember"/> the reply.</summary>
    Authenticated,
    /// <summary>The same signed request again from the same address (the reply was lost): send the same reply, do not act twice.</summary>
    Retransmission,
    NoKey,
    WrongKey,
    Replayed,
    ClockSkew,
}
