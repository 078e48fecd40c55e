using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>
/// How large an answer to a possibly forged source may be. Until a source has proven that it receives
/// (return routability: <see cref="AddressProof"/>), the server sends it at most 3x what it sent, and
/// never more than the request plus a header and an address: a reflector must not pay an attacker.
/// </summary>
public static class ReplyBudget
{
    /// <summary>What a reply may exceed its request by: the STUN header plus an IPv6 XOR-MAPPED-ADDRESS.</summary>
    public const int AmplificationAllowance = StunConstants.HeaderLength + 24;

    /// <summary>Before a source has proven it receives, the server sends it at most this many times the bytes it sent.</summary>
    public const int MaxAmplification = 3;

    /// <summary>The largest error reply to a request of <paramref name="requestLength"/> bytes.</summary>
    public static int ForError(int requestLength) => Math.Min(requestLength + AmplificationAllowance, MaxAmplification * requestLength);

    /// <summary>An error reply within <see cref="ForError"/>: the reason is cut to fit; peers explain the code themselves.</summary>
    public static int Error(ushort method, TransactionId transactionId, int code, string reason, Span<byte> reply, int requestLength) =>
        ErrorWithin(method, transactionId, code, reason, reply, ForError(requestLength));

    /// <summary>An error reply of at most <paramref name="maxLength"/> bytes (never less than the header, the code and FINGERPRINT).</summary>
    public static int ErrorWithin(ushort method, TransactionId transactionId, int code, string reason, Span<byte> reply, int maxLength)
    {
        const int overhead = StunConstants.HeaderLength + 8 + 8; // header, ERROR-CODE header and code, FINGERPRINT
        return new ErrorResponse(method, transactionId, code, Utf8Text.Truncate(reason, Math.Max(0, maxLength - overhead))).WriteTo(reply);
    }

    /// <summary>
    /// Answers a request from an unproven source with a cookie for it and nothing else, within
    /// <paramref name="maxLength"/> (never less than the smallest challenge, 60 bytes: 3x the smallest request).
    /// The reason is what a peer too old to know the cookie shows its user.
    /// </summary>
    public static int Challenge(AddressProof proof, RendezvousStats stats, ushort method, TransactionId transactionId, IPEndPoint from, Span<byte> reply, int maxLength)
    {
        stats.Refused(LimitKind.AddressUnproven);
        string reason = Utf8Text.Truncate(LimitKind.AddressUnproven.Reason(), Math.Max(0, maxLength - AddressChallenge.MinimumLength));
        return new AddressChallenge(method, transactionId, proof.Mint(from), reason).WriteTo(reply);
    }
}
