using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Server → peer (indication, RFC 8489 §6.3.2): the relay stopped forwarding this session; REASON says why (a limit, or idle).</summary>
public readonly record struct RelayClosedIndication(TransactionId TransactionId, SessionId SessionId, string? Reason)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.RelayClosed, StunClass.Indication), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddOptionalReason(Reason);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RelayClosedIndication indication)
    {
        indication = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.RelayClosed, StunClass.Indication)
            || !message.TryGetSessionId(out var id) || !message.TryGetOptionalReason(out string? reason))
        {
            return false;
        }

        indication = new RelayClosedIndication(message.TransactionId, id, reason);
        return true;
    }
}
