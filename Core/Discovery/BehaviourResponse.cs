using System.Net;
using System.Text;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Core.Discovery;

/// <summary>
/// A Binding success response with the RFC 5780 attributes (§6.1): XOR-MAPPED-ADDRESS, and when the
/// server has them RESPONSE-ORIGIN and OTHER-ADDRESS. A server writes it within a size budget; a client reads
/// XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an old server. <paramref name="OtherFamily"/>: the server's endpoint of the other
/// IP family (<see cref="PunchAttributeType.OtherFamilyServer"/>), only in the answer to a request that asked for it.
/// </summary>
public readonly record struct BehaviourResponse(TransactionId TransactionId, IPEndPoint Mapped, IPEndPoint? ResponseOrigin = null, IPEndPoint? OtherAddress = null,
    IPEndPoint? OtherFamily = null)
{
    public const string Software = "punch";
    private const int FingerprintLength = 8;

    /// <summary>
    /// Writes the response in at most <paramref name="maxLength"/> bytes. XOR-MAPPED-ADDRESS always; then, while
    /// they fit, OTHER-FAMILY-SERVER, OTHER-ADDRESS, RESPONSE-ORIGIN, FINGERPRINT, MAPPED-ADDRESS (RFC 5780 §6.1 wants it too, but the
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

        // Asked for explicitly, so first among the optional ones.
        bool otherFamily = OtherFamily is { } f && Fits(AttributeLength(StunAddress.ValueLength(f)));
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

        if (otherFamily)
        {
            writer.AddXorAddress(PunchAttributeType.OtherFamilyServer, OtherFamily!);
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
        var otherFamily = message.TryGetXorAddress(PunchAttributeType.OtherFamilyServer, out var f) && RegistrationResponse.IsUsableOtherFamily(f, mapped) ? f : null;
        response = new BehaviourResponse(message.TransactionId, mapped, origin, other, otherFamily);
        return true;
    }

    private static int AttributeLength(int valueLength) => 4 + ((valueLength + 3) & ~3);
}
