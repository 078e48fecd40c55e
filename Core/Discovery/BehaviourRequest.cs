using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>
/// A Binding request as NAT behaviour discovery sends it (RFC 5780 §4): optionally CHANGE-REQUEST
/// and RESPONSE-PORT, and FINGERPRINT (which also earns a slightly larger answer under the server's
/// amplification budget). <paramref name="AsksOtherFamily"/>: Punch's OTHER-FAMILY-QUERY (<see cref="PunchAttributeType.OtherFamilyQuery"/>).
/// </summary>
public readonly record struct BehaviourRequest(TransactionId TransactionId, ChangeRequest Change = default, ResponsePort? ResponsePort = null, bool AsksOtherFamily = false)
{
    /// <summary>Attribute types a Binding request may carry that this server understands (or knowingly ignores: credentials, ICE).</summary>
    private static readonly ushort[] Understood =
    [
        StunAttributeType.MappedAddress, StunAttributeType.Username, StunAttributeType.MessageIntegrity, StunAttributeType.Priority,
        StunAttributeType.UseCandidate, StunAttributeType.XorMappedAddress, NatBehaviourAttributeType.ChangeRequest,
        NatBehaviourAttributeType.Padding, NatBehaviourAttributeType.ResponsePort,
        0x001C, // MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): Binding is answered for anyone, so a credential is not checked here.
        0x001D, // PASSWORD-ALGORITHM
        0x001E, // USERHASH
        0x0014, // REALM
        0x0015, // NONCE
    ];

    public int WriteTo(Span<byte> destination)
    {
        var writer = new StunWriter(destination, StunMessageType.BindingRequest, TransactionId);
        Span<byte> value = stackalloc byte[4];
        if (Change.AsksForChange)
        {
            Change.WriteTo(value);
            writer.Add(NatBehaviourAttributeType.ChangeRequest, value);
        }

        if (ResponsePort is { } port)
        {
            port.WriteTo(value);
            writer.Add(NatBehaviourAttributeType.ResponsePort, value);
        }

        if (AsksOtherFamily)
        {
            writer.Add(PunchAttributeType.OtherFamilyQuery, []);
        }

        return writer.Finish();
    }

    /// <summary>
    /// Reads a Binding request's behaviour attributes and sorts out what a server must refuse. Never
    /// throws; <paramref name="unknown"/> receives up to its length of unknown comprehension-required types.
    /// </summary>
    public static BindingRequestCheck Check(StunMessage message, out BehaviourRequest request, Span<ushort> unknown, out int unknownCount)
    {
        request = new BehaviourRequest(message.TransactionId);
        unknownCount = 0;
        var change = default(ChangeRequest);
        ResponsePort? responsePort = null;
        bool padding = false;
        bool asksOtherFamily = false;
        foreach (var attribute in message.Attributes)
        {
            switch (attribute.Type)
            {
                case NatBehaviourAttributeType.ChangeRequest:
                    if (!ChangeRequest.TryRead(attribute.Value, out change))
                    {
                        return BindingRequestCheck.Malformed;
                    }

                    break;
                case NatBehaviourAttributeType.ResponsePort:
                    if (!Stun.ResponsePort.TryRead(attribute.Value, out var port))
                    {
                        return BindingRequestCheck.Malformed;
                    }

                    responsePort = port;
                    break;
                case NatBehaviourAttributeType.Padding:
                    padding = true;
                    break;
                case PunchAttributeType.OtherFamilyQuery:
                    asksOtherFamily = true;
                    break;
                default:
                    if (StunAttributeType.IsComprehensionRequired(attribute.Type) && Array.IndexOf(Understood, attribute.Type) < 0
                        && unknownCount < unknown.Length && unknown[..unknownCount].IndexOf(attribute.Type) < 0)
                    {
                        unknown[unknownCount++] = attribute.Type;
                    }

                    break;
            }
        }

        if (unknownCount > 0)
        {
            return BindingRequestCheck.UnknownAttributes;
        }

        // RFC 5780 §6.1: PADDING with RESPONSE-PORT is refused (400), so a padded answer cannot be aimed at another port.
        if (padding && responsePort is not null)
        {
            return BindingRequestCheck.Malformed;
        }

        request = new BehaviourRequest(message.TransactionId, change, responsePort, asksOtherFamily);
        return BindingRequestCheck.Valid;
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out BehaviourRequest request)
    {
        request = default;
        Span<ushort> unknown = stackalloc ushort[1];
        return StunMessage.TryParse(datagram, out var message) && message.Type == StunMessageType.BindingRequest
            && Check(message, out request, unknown, out _) == BindingRequestCheck.Valid;
    }
}
