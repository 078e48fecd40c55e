using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Server → peer: the server is going away (a graceful shutdown), with an optional REASON. An
/// indication (RFC 8489 §6.3.2): the server is on its way out, so nobody would be there to receive
/// an answer or to retransmit.
/// </summary>
public readonly record struct GoodbyeIndication(TransactionId TransactionId, string? Reason)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Goodbye, StunClass.Indication), TransactionId);
        writer.AddOptionalReason(Reason);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out GoodbyeIndication goodbye)
    {
        goodbye = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Goodbye, StunClass.Indication)
            || !message.TryGetOptionalReason(out string? reason))
        {
            return false;
        }

        goodbye = new GoodbyeIndication(message.TransactionId, reason);
        return true;
    }
}
