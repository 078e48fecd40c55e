using System.Net;
using System.Text;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>What a server makes of a Binding request's attributes (RFC 8489 §6.3.1, RFC 5780 §6.1).</summary>
public enum BindingRequestCheck
{
    Valid,
    /// <summary>A known attribute with a bad value, or PADDING with RESPONSE-PORT (RFC 5780 §6.1): answer 400.</summary>
    Malformed,
    /// <summary>Comprehension-required attributes we do not know: answer 420 listing them (RFC 8489 §6.3.1.1).</summary>
    UnknownAttributes,
}

/// <summary>
/// A Binding request as NAT behaviour discovery sends it (RFC 5780 §4): optionally CHANGE-REQUEST
/// and RESPONSE-PORT, and FINGERPRINT (which also earns a slightly larger answer under the server's
/// amplification budget).
/// </summary>
public readonly record struct BehaviourRequest(TransactionId TransactionId, ChangeRequest Change = default, ResponsePort? ResponsePort = null)
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

        request = new BehaviourRequest(message.TransactionId, change, responsePort);
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

/// <summary>
/// A Binding success response with the RFC 5780 attributes (§6.1): XOR-MAPPED-ADDRESS, and when the
/// server has them RESPONSE-ORIGIN and OTHER-ADDRESS. A server writes it within a size budget; a client reads
/// XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an old server.
/// </summary>
public readonly record struct BehaviourResponse(TransactionId TransactionId, IPEndPoint Mapped, IPEndPoint? ResponseOrigin = null, IPEndPoint? OtherAddress = null)
{
    public const string Software = "punch";
    private const int FingerprintLength = 8;

    /// <summary>
    /// Writes the response in at most <paramref name="maxLength"/> bytes. XOR-MAPPED-ADDRESS always; then, while
    /// they fit, OTHER-ADDRESS, RESPONSE-ORIGIN, FINGERPRINT, MAPPED-ADDRESS (RFC 5780 §6.1 wants it too, but the
    /// no-amplification budget comes first) and SOFTWARE; then PADDING up to <paramref name="padTo"/> (RFC 5780 §7.6).
    /// </summary>
    public int WriteTo(Span<byte> destination, int maxLength, int padTo = 0)
    {
        int length = StunConstants.HeaderLength + AttributeLength(StunAddress.ValueLength(Mapped));
        bool Fits(int attributeLength)
        {
            if (length + attributeLength > maxLength)
            {
                return false;
            }

            length += attributeLength;
            return true;
        }

        bool other = OtherAddress is { } o && Fits(AttributeLength(StunAddress.ValueLength(o)));
        bool origin = ResponseOrigin is { } r && Fits(AttributeLength(StunAddress.ValueLength(r)));
        bool fingerprint = Fits(FingerprintLength);
        bool mapped = Fits(AttributeLength(StunAddress.ValueLength(Mapped)));
        bool software = Fits(AttributeLength(Encoding.UTF8.GetByteCount(Software)));
        int paddingValue = Math.Min(padTo, maxLength) - length - 4;
        paddingValue = paddingValue >= 0 ? paddingValue & ~3 : -1;

        var writer = new StunWriter(destination, StunMessageType.BindingSuccess, TransactionId);
        writer.AddXorAddress(StunAttributeType.XorMappedAddress, Mapped);
        if (mapped)
        {
            writer.AddPlainAddress(StunAttributeType.MappedAddress, Mapped);
        }

        if (origin)
        {
            writer.AddPlainAddress(NatBehaviourAttributeType.ResponseOrigin, ResponseOrigin!);
        }

        if (other)
        {
            writer.AddPlainAddress(NatBehaviourAttributeType.OtherAddress, OtherAddress!);
        }

        if (software)
        {
            writer.AddString(StunAttributeType.Software, Software);
        }

        if (paddingValue >= 0)
        {
            Span<byte> zeros = stackalloc byte[Math.Min(paddingValue, StunConstants.MaxMessageLength)];
            zeros.Clear();
            writer.Add(NatBehaviourAttributeType.Padding, zeros);
        }

        return writer.Finish(fingerprint);
    }

    public static bool TryRead(ReadOnlySpan<byte> datagram, out BehaviourResponse response)
    {
        response = default;
        if (!StunMessage.TryParse(datagram, out var message) || message.Type != StunMessageType.BindingSuccess)
        {
            return false;
        }

        if (!message.TryGetXorAddress(StunAttributeType.XorMappedAddress, out var mapped) && !message.TryGetPlainAddress(StunAttributeType.MappedAddress, out mapped))
        {
            return false;
        }

        // A broken optional attribute is as good as absent: the mapped address is still right.
        var origin = message.TryGetPlainAddress(NatBehaviourAttributeType.ResponseOrigin, out var o) ? o : null;
        var other = message.TryGetPlainAddress(NatBehaviourAttributeType.OtherAddress, out var a) ? a : null;
        response = new BehaviourResponse(message.TransactionId, mapped, origin, other);
        return true;
    }

    private static int AttributeLength(int valueLength) => 4 + ((valueLength + 3) & ~3);
}

internal static class PlainAddressExtensions
{
    public static void AddPlainAddress(ref this StunWriter writer, ushort type, IPEndPoint endPoint)
    {
        Span<byte> value = stackalloc byte[StunAddress.IPv6ValueLength];
        int length = StunAddress.WritePlain(value, endPoint);
        writer.Add(type, value[..length]);
    }

    public static bool TryGetPlainAddress(this StunMessage message, ushort type, out IPEndPoint endPoint)
    {
        endPoint = null!;
        return message.TryGetAttribute(type, out var raw) && StunAddress.TryReadPlain(raw, out endPoint);
    }
}
