using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Server → peer: the connect request is accepted; the session id, and whether the introduction is coming now or once the target shows up.</summary>
public readonly record struct ConnectResponse(TransactionId TransactionId, SessionId SessionId, ConnectStatus Status)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Connect, StunClass.SuccessResponse), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddByte(PunchAttributeType.ConnectStatus, (byte)Status);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ConnectResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Connect, StunClass.SuccessResponse)
            || !message.TryGetSessionId(out var id) || !message.TryGetByte(PunchAttributeType.ConnectStatus, out byte status)
            || status is < (byte)ConnectStatus.WaitingForPeer or > (byte)ConnectStatus.Introducing)
        {
            return false;
        }

        response = new ConnectResponse(message.TransactionId, id, (ConnectStatus)status);
        return true;
    }
}
