using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>
/// A Binding error response (RFC 8489 §6.3.1.1): ERROR-CODE, for 420 the UNKNOWN-ATTRIBUTES list
/// (§14.9), and FINGERPRINT. The reason is cut to fit <c>maxLength</c>, so an error never amplifies.
/// </summary>
public readonly record struct BindingErrorResponse(TransactionId TransactionId, int Code, string Reason, ushort[]? UnknownAttributes = null)
{
    public const int BadRequest = 400;
    public const int UnknownAttribute = 420;

    public int WriteTo(Span<byte> destination, int maxLength)
    {
        int unknownCount = Math.Min(UnknownAttributes?.Length ?? 0, UnknownAttributesValue.MaxTypes);
        int unknownLength = unknownCount == 0 ? 0 : 4 + ((UnknownAttributesValue.Length(unknownCount) + 3) & ~3);
        const int fixedLength = StunConstants.HeaderLength + 8 + 8; // header, ERROR-CODE header and code, FINGERPRINT
        int reasonBudget = Math.Max(0, maxLength - fixedLength - unknownLength) & ~3;
        var writer = new StunWriter(destination, new StunMessageType(StunMessageType.BindingMethod, StunClass.ErrorResponse), TransactionId);
        writer.AddErrorCode(Code, Utf8Text.Truncate(Reason, reasonBudget));
        if (unknownCount > 0)
        {
            Span<byte> value = stackalloc byte[UnknownAttributesValue.Length(unknownCount)];
            UnknownAttributesValue.WriteTo(value, UnknownAttributes.AsSpan(0, unknownCount));
            writer.Add(StunAttributeType.UnknownAttributes, value);
        }

        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out BindingErrorResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type != new StunMessageType(StunMessageType.BindingMethod, StunClass.ErrorResponse)
            || !message.TryGetErrorCode(out int code, out string reason))
        {
            return false;
        }

        ushort[]? unknown = null;
        if (message.TryGetAttribute(StunAttributeType.UnknownAttributes, out var raw) && !UnknownAttributesValue.TryRead(raw, out unknown))
        {
            return false;
        }

        response = new BindingErrorResponse(message.TransactionId, code, reason, unknown);
        return true;
    }
}
