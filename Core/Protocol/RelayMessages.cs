using System.Net;
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
