using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>What <see cref="RequestAuthenticator.Authenticate"/> decided about one request.</summary>
public readonly record struct Authentication(AuthenticationOutcome Outcome, PeerIdentity Peer, TransactionId TransactionId, string? Detail = null, byte[]? CachedReply = null)
{
    public bool Refused => Outcome >= AuthenticationOutcome.NoKey;

    /// <summary>The short reason of the 401 (the peer prints it after "the server refused our key for network X: ").</summary>
    public string ShortReason => Outcome switch
    {
        AuthenticationOutcome.NoKey => "no key",
        AuthenticationOutcome.WrongKey => "wrong key",
        AuthenticationOutcome.Replayed => "replayed",
        AuthenticationOutcome.ClockSkew => "clock skew",
        _ => string.Empty,
    };

    /// <summary>The reason of the Rejected event: the short reason first, then what the server saw.</summary>
    public string Reason => Detail is null ? ShortReason : $"{ShortReason}: {Detail}";
}
