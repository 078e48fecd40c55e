using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Peer → server: the success response to an <see cref="Introduction"/>.</summary>
public readonly record struct IntroductionAck(TransactionId TransactionId, SessionId SessionId)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Introduction, StunClass.SuccessResponse), TransactionId);
        writer.AddSessionId(SessionId);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out IntroductionAck ack)
    {
        ack = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Introduction, StunClass.SuccessResponse)
            || !message.TryGetSessionId(out var id))
        {
            return false;
        }

        ack = new IntroductionAck(message.TransactionId, id);
        return true;
    }
}
