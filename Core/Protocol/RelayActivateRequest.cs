using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// Peer → server: relay my session, from the address this request comes from. USERNAME is the
/// sender's ufrag (it tells the server which side is asking); MESSAGE-INTEGRITY is computed with the
/// sender's session password, which only the server and that peer know, so nobody else can bind the
/// relay to their address. From a source other than the one the server introduced, the server asks
/// for proof that the source receives (<see cref="AddressChallenge"/>); <paramref name="Cookie"/> echoes it.
/// </summary>
public readonly record struct RelayActivateRequest(TransactionId TransactionId, SessionId SessionId, string UsernameFragment, AddressCookie? Cookie = null)
{
    public int WriteTo(Span<byte> destination, ReadOnlySpan<byte> sessionPasswordKey)
    {
        var writer = new StunWriter(destination, new StunMessageType(PunchMethod.RelayActivate, StunClass.Request), TransactionId);
        writer.AddSessionId(SessionId);
        writer.AddString(StunAttributeType.Username, UsernameFragment);
        writer.AddCookie(Cookie);
        writer.AddMessageIntegrity(sessionPasswordKey);
        return writer.Finish();
    }

    /// <summary>Parses without checking the integrity: the reader looks the password up by session and ufrag, then calls <see cref="StunMessage.VerifyMessageIntegrity"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out RelayActivateRequest request)
    {
        request = default;
        if (!StunMessage.TryParse(datagram, out var message) || !message.Is(PunchMethod.RelayActivate, StunClass.Request)
            || !message.HasMessageIntegrity || !message.TryGetSessionId(out var id)
            || !message.TryGetString(StunAttributeType.Username, WireExtensions.MaxCredentialBytes, out string ufrag) || ufrag.Length == 0
            || !message.TryGetCookie(out var cookie))
        {
            return false;
        }

        request = new RelayActivateRequest(message.TransactionId, id, ufrag, cookie);
        return true;
    }

    /// <summary>True when <paramref name="datagram"/> carries a MESSAGE-INTEGRITY made with <paramref name="sessionPasswordKey"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> sessionPasswordKey) =>
        StunMessage.TryParse(datagram, out var message) && message.VerifyMessageIntegrity(sessionPasswordKey);
}
