using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Server → peer: the relay forwards the session's channel; frames go to the server's address the request reached.</summary>
public readonly record struct RelayActivateResponse(TransactionId TransactionId, SessionId SessionId, ushort Channel, IPEndPoint MappedEndPoint, TimeSpan IdleTimeout)
{
    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.RelayActivate, StunClass.SuccessResponse), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddUInt32(PunchAttributeType.RelayChannel, Channel);
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, MappedEndPoint);
        writer.AddUInt32(StunAttributeType.Lifetime, (uint)IdleTimeout.TotalSeconds);
        return writer.Finish();
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RelayActivateResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.RelayActivate, StunClass.SuccessResponse)
            || !message.TryGetSessionId(out var id) || message.GetRelayChannel() is not { } channel
            || !message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped)
            || !message.TryGetUInt32(StunAttributeType.Lifetime, out uint seconds))
        {
            return false;
        }

        response = new RelayActivateResponse(message.TransactionId, id, channel, mapped, TimeSpan.FromSeconds(seconds));
        return true;
    }
}
