using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>
/// A Binding success response with XOR-MAPPED-ADDRESS. For connectivity checks it carries
/// MESSAGE-INTEGRITY under the same key as the request (RFC 8445 §7.3.1.4).
/// </summary>
public readonly record struct BindingResponse(TransactionId TransactionId, IPEndPoint MappedEndPoint)
{
    public int WriteTo(Span<byte> destination, ReadOnlySpan<byte> integrityKey = default, bool fingerprint = true)
    {
        var writer = new StunWriter(destination, StunMessageType.BindingSuccess, TransactionId);
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, MappedEndPoint);
        if (!integrityKey.IsEmpty)
        {
            writer.AddMessageIntegrity(integrityKey);
        }

        return writer.Finish(fingerprint);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out BindingResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type != StunMessageType.BindingSuccess
            || !message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped))
        {
            return false;
        }

        response = new BindingResponse(message.TransactionId, mapped);
        return true;
    }
}
