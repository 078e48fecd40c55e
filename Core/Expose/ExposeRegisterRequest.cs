using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Expose;

/// <summary>
/// Peer → server: publish my service (LOCAL-SERVICE, for display) as NAME in NETWORK on PUBLIC-PORT.
/// SERVICE-SECRET, when the peer has one from an earlier answer, proves it is the holder of a live
/// registration of that port, so it may take it over (a reconnect the server has not noticed yet).
/// </summary>
public readonly record struct ExposeRegisterRequest(TransactionId TransactionId, PeerIdentity Peer, ushort PublicPort, string LocalService, UInt128? ServiceSecret = null)
{
    public int WriteTo(Span<byte> destination) => WriteTo(destination, null);

    /// <summary>Writes the message, signed for a keyed network when <paramref name="signature"/> is given (<see cref="MessageAuthentication"/>).</summary>
    public int WriteTo(Span<byte> destination, MessageSignature? signature)
    {
        var writer = new StunWriter(destination, new StunMessageType(ExposeMethod.Register, StunClass.Request), TransactionId);
        writer.AddIdentity(Peer);
        writer.AddUInt32(ExposeAttributeType.PublicPort, PublicPort);
        writer.AddString(ExposeAttributeType.LocalService, Utf8Text.Truncate(LocalService, WireExtensions.MaxReasonBytes));
        if (ServiceSecret is { } secret)
        {
            writer.AddSecret(ExposeAttributeType.ServiceSecret, secret);
        }

        return writer.Finish(signature);
    }

    public static bool TryRead(ReadOnlySpan<byte> message, out ExposeRegisterRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(message, out var parsed) || !parsed.Is(ExposeMethod.Register, StunClass.Request)
            || !parsed.TryGetIdentity(out var peer) || !parsed.TryGetPort(out ushort port)
            || !parsed.TryGetString(ExposeAttributeType.LocalService, WireExtensions.MaxReasonBytes, out string local)
            || !parsed.TryGetOptionalSecret(ExposeAttributeType.ServiceSecret, out var secret))
        {
            return false;
        }

        request = new ExposeRegisterRequest(parsed.TransactionId, peer, port, local, secret);
        return true;
    }
}
