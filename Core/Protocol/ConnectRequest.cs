using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Peer → server: introduce me to TARGET-PEER of my network.</summary>
public readonly record struct ConnectRequest(TransactionId TransactionId, PeerIdentity Peer, string TargetPeer)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Connect, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddString(PunchAttributeType.TargetPeer, TargetPeer);
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out ConnectRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Connect, StunClass.Request)
            || !message.TryGetIdentity(out var peer) || !message.TryGetName(PunchAttributeType.TargetPeer, out string target))
        {
            return false;
        }

        request = new ConnectRequest(message.TransactionId, peer, target);
        return true;
    }
}
