using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>An error response (RFC 8489 §6.3.4) with ERROR-CODE and a reason phrase a person can act on.</summary>
public readonly record struct ErrorResponse(ushort Method, TransactionId TransactionId, int Code, string Reason)
{
    /// <summary>RFC 8489 §14.8: the reason phrase is at most 128 characters (763 bytes).</summary>
    public const int MaxReasonBytes = 763;
    public const int MaxReasonCharacters = 128;

    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(Method, StunClass.ErrorResponse), TransactionId);
        string reason = Reason.Length > MaxReasonCharacters ? Reason[..MaxReasonCharacters] : Reason;
        if (reason.Length > 0 && char.IsHighSurrogate(reason[^1]))
        {
            reason = reason[..^1];
        }

        writer.AddErrorCode(Code, Utf8Text.Truncate(reason, MaxReasonBytes));
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ErrorResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Class != StunClass.ErrorResponse
            || !message.TryGetErrorCode(out int code, out string reason))
        {
            return false;
        }

        response = new ErrorResponse(message.Type.Method, message.TransactionId, code, reason);
        return true;
    }
}
