using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>Peer → server: keep my registration alive for LIFETIME (absent: the server's default; zero: unregister now).</summary>
public readonly record struct RefreshRequest(TransactionId TransactionId, PeerIdentity Peer, TimeSpan? Lifetime, NatMapping Mapping = NatMapping.Unknown, NatReport Nat = default)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.Refresh, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        if (Lifetime is { } lifetime)
        {
            writer.AddUInt32(StunAttributeType.Lifetime, (uint)lifetime.TotalSeconds);
        }

        writer.AddMapping(Mapping);
        writer.AddNatReport(Nat);
        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out RefreshRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.Refresh, StunClass.Request)
            || !message.TryGetIdentity(out var peer))
        {
            return false;
        }

        TimeSpan? lifetime = null;
        if (message.TryGetAttribute(StunAttributeType.Lifetime, out _))
        {
            if (!message.TryGetUInt32(StunAttributeType.Lifetime, out uint seconds))
            {
                return false;
            }

            lifetime = TimeSpan.FromSeconds(seconds);
        }

        request = new RefreshRequest(message.TransactionId, peer, lifetime, message.GetMapping(), message.GetNatReport());
        return true;
    }
}
