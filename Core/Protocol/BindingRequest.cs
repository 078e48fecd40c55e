using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>A plain STUN Binding request (RFC 8489 §3): "what address do you see me at?".</summary>
public readonly record struct BindingRequest(TransactionId TransactionId)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, StunMessageType.BindingRequest, TransactionId);
        return writer.Finish();
    }

    /// <summary>Accepts any Binding request that is not a connectivity check (no USERNAME).</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out BindingRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type != StunMessageType.BindingRequest
            || message.TryGetAttribute(StunAttributeType.Username, out _))
        {
            return false;
        }

        request = new BindingRequest(message.TransactionId);
        return true;
    }
}
