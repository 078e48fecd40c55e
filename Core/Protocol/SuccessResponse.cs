using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>A success response with nothing to say but "done" (Report, and anything similar).</summary>
public readonly record struct SuccessResponse(ushort Method, TransactionId TransactionId)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(Method, StunClass.SuccessResponse), TransactionId);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out SuccessResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type.Class != StunClass.SuccessResponse)
        {
            return false;
        }

        response = new SuccessResponse(message.Type.Method, message.TransactionId);
        return true;
    }
}
