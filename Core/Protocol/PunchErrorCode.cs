namespace Punch.Core.Protocol;

/// <summary>Error codes in Punch's error responses (RFC 8489 §14.8 ranges).</summary>
public static class PunchErrorCode
{
    public const int BadRequest = 400;
    /// <summary>RFC 8489 §14.8 "Unauthenticated": a keyed network's request without a valid, fresh, unreplayed MESSAGE-INTEGRITY-SHA256.</summary>
    public const int Unauthenticated = 401;
    /// <summary>A refresh, connect or report from a peer the server does not know (expired, or the server restarted): register again.</summary>
    public const int NotRegistered = 404;
    /// <summary>The name is held by another live peer.</summary>
    public const int NameTaken = 409;
    /// <summary>A request from an address other than the registration's.</summary>
    public const int AddressMismatch = 437;
    /// <summary>
    /// The request came from an address the server has not seen receive: retry with the ADDRESS-COOKIE of
    /// this answer (<see cref="AddressChallenge"/>). The code is RFC 8489 §14.8's "Stale Nonce", whose
    /// meaning ("retry with the value in this response") is the same.
    /// </summary>
    public const int AddressProofRequired = 438;

    /// <summary>RFC 8656 §18.8: the relay refuses another allocation (per-session or server-wide limit).</summary>
    public const int AllocationQuotaReached = 486;
    public const int ServerError = 500;
}
