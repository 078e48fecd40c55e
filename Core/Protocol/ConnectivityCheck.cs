using System.Text;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// A connectivity check between peers (RFC 8445 §7.2.2): a Binding request with
/// USERNAME "receiverUfrag:senderUfrag", ICE-CONTROLLING/ICE-CONTROLLED with a tie-breaker,
/// USE-CANDIDATE when the controlling side nominates, MESSAGE-INTEGRITY under the receiver's
/// password, and FINGERPRINT. A stray or forged packet without the password cannot pass for one.
/// </summary>
public readonly record struct ConnectivityCheck(TransactionId TransactionId, string Username, bool Controlling, ulong TieBreaker, bool UseCandidate)
{
    public int WriteTo(Span<byte> destination, ReadOnlySpan<byte> receiverPassword)
    {
        var writer = new StunWriter(destination, StunMessageType.BindingRequest, TransactionId);
        writer.AddString(StunAttributeType.Username, Username);
        writer.AddUInt64(Controlling ? StunAttributeType.IceControlling : StunAttributeType.IceControlled, TieBreaker);
        if (UseCandidate)
        {
            writer.AddFlag(StunAttributeType.UseCandidate);
        }

        writer.AddMessageIntegrity(receiverPassword);
        return writer.Finish();
    }

    /// <summary>Parses a check and verifies its integrity under <paramref name="localPassword"/>; a check that fails either is not a check.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> localPassword, out ConnectivityCheck check)
    {
        check = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type != StunMessageType.BindingRequest
            || !message.TryGetString(StunAttributeType.Username, 513, out string username)
            || !message.VerifyMessageIntegrity(localPassword))
        {
            return false;
        }

        bool controlling;
        ulong tieBreaker;
        if (message.TryGetAttribute(StunAttributeType.IceControlling, out var raw) && raw.Length == 8)
        {
            controlling = true;
            tieBreaker = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(raw);
        }
        else if (message.TryGetAttribute(StunAttributeType.IceControlled, out raw) && raw.Length == 8)
        {
            controlling = false;
            tieBreaker = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(raw);
        }
        else
        {
            return false;
        }

        bool useCandidate = message.TryGetAttribute(StunAttributeType.UseCandidate, out _);
        check = new ConnectivityCheck(message.TransactionId, username, controlling, tieBreaker, useCandidate);
        return true;
    }

    /// <summary>Parses a check's response and verifies its integrity under the password the check was signed with.</summary>
    public static bool TryReadResponse(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> remotePassword, out BindingResponse response)
    {
        response = default;
        return StunMessage.TryParse(datagram, out var message)
            && message.Type == StunMessageType.BindingSuccess
            && message.VerifyMessageIntegrity(remotePassword)
            && BindingResponse.TryRead(datagram, out response);
    }

    public static byte[] PasswordKey(string password) => Encoding.UTF8.GetBytes(password);
}
