using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Server → peer: a 438 error response carrying an <see cref="AddressCookie"/> minted for the request's
/// source. The server sends it instead of acting on a Register or RelayActivate from a source that has
/// not shown it receives; the peer sends the request again (new transaction) with the cookie. It is
/// never larger than the request it answers, so a spoofed source gets nothing bigger than what was sent
/// in its name. Peers that do not know it still read a 438 with a reason that says what to do.
/// </summary>
public readonly record struct AddressChallenge(ushort Method, TransactionId TransactionId, AddressCookie Cookie, string Reason)
{
    /// <summary>Header, ERROR-CODE with an empty reason, ADDRESS-COOKIE and FINGERPRINT: the smallest challenge.</summary>
    public const int MinimumLength = StunConstants.HeaderLength + 8 + 4 + AddressCookie.Length + 8;

    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(Method, StunClass.ErrorResponse), TransactionId);
        writer.AddErrorCode(PunchErrorCode.AddressProofRequired, Utf8Text.Truncate(Reason, ErrorResponse.MaxReasonBytes));
        writer.AddCookie(Cookie);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out AddressChallenge challenge)
    {
        challenge = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Class != StunClass.ErrorResponse
            || !message.TryGetErrorCode(out int code, out string reason) || code != PunchErrorCode.AddressProofRequired
            || !message.TryGetCookie(out var cookie) || cookie is not { } value)
        {
            return false;
        }

        challenge = new AddressChallenge(message.Type.Method, message.TransactionId, value, reason);
        return true;
    }
}
