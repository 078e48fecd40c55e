using System.Buffers.Binary;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Protocol;

/// <summary>MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) with TIMESTAMP, and the network key derivation.</summary>
public sealed class MessageAuthenticationTests
{
    private static readonly ConnectRequest Connect = new(Wire.FixedTransactionId, MessageCatalog.Alice, "bob");

    private static byte[] Signed() => Wire.Write(d => Connect.WriteTo(d, MessageCatalog.Signature));

    [Fact]
    public void The_hmac_covers_the_header_with_the_length_through_the_integrity_attribute_and_every_attribute_before_it()
    {
        var datagram = Signed();
        int integrityOffset = datagram.Length - 8 - 36;
        Assert.Equal(StunAttributeType.MessageIntegritySha256, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(integrityOffset)));

        // Independently of StunMessage: RFC 8489 §14.6 says the length field counts up to the end of
        // MESSAGE-INTEGRITY-SHA256 (FINGERPRINT, which follows, is not counted).
        var input = datagram[..integrityOffset];
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(2), (ushort)(integrityOffset - StunConstants.HeaderLength + 36));
        var expected = HMACSHA256.HashData(MessageCatalog.Signature.Key.Span, input);

        Assert.Equal(expected, datagram.AsSpan(integrityOffset + 4, 32).ToArray());
        Assert.Equal(MessageCatalog.Signature.SignedAt.ToUnixTimeMilliseconds(), BinaryPrimitives.ReadInt64BigEndian(datagram.AsSpan(integrityOffset - 8)));
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Verifies_under_the_right_key_and_reports_when_it_was_signed()
    {
        Assert.Equal(SignatureCheck.Valid, MessageAuthentication.Verify(Signed(), MessageCatalog.Signature.Key.Span, out var signedAt));
        Assert.Equal(MessageCatalog.Signature.SignedAt, signedAt);
    }

    [Fact]
    public void A_wrong_key_fails()
    {
        var wrongKey = MessageCatalog.Signature.Key.ToArray();
        wrongKey[0] ^= 1;

        Assert.Equal(SignatureCheck.WrongKey, MessageAuthentication.Verify(Signed(), wrongKey, out _));
    }

    [Fact]
    public void Any_changed_byte_before_the_integrity_attribute_fails()
    {
        var original = Signed();
        int integrityOffset = original.Length - 8 - 36;
        for (int i = StunConstants.HeaderLength; i < integrityOffset; i++)
        {
            var tampered = (byte[])original.Clone();
            tampered[i] ^= 0x01;
            Assert.NotEqual(SignatureCheck.Valid, MessageAuthentication.Verify(tampered, MessageCatalog.Signature.Key.Span, out _));
        }
    }

    [Fact]
    public void An_unsigned_message_and_a_signature_without_timestamp_are_unsigned()
    {
        var unsigned = Wire.Write(Connect.WriteTo);
        Assert.Equal(SignatureCheck.Unsigned, MessageAuthentication.Verify(unsigned, MessageCatalog.Signature.Key.Span, out _));

        var writer = new StunWriter(new byte[256], new StunMessageType(PunchMethod.Connect, StunClass.Request), Wire.FixedTransactionId);
        writer.AddMessageIntegritySha256(MessageCatalog.Signature.Key.Span);
        var noTimestamp = writer.Written.ToArray();
        Assert.True(StunMessage.TryParse(noTimestamp, out var message));
        Assert.True(message.VerifyMessageIntegritySha256(MessageCatalog.Signature.Key.Span));
        Assert.Equal(SignatureCheck.Unsigned, MessageAuthentication.Verify(noTimestamp, MessageCatalog.Signature.Key.Span, out _));
    }

    [Fact]
    public void A_timestamp_appended_after_the_integrity_attribute_is_not_believed()
    {
        // RFC 8489 §14.6: attributes after MESSAGE-INTEGRITY-SHA256 (but FINGERPRINT) are ignored, so an attacker cannot refresh an old signature's time.
        var writer = new StunWriter(new byte[256], new StunMessageType(PunchMethod.Connect, StunClass.Request), Wire.FixedTransactionId);
        writer.AddMessageIntegritySha256(MessageCatalog.Signature.Key.Span);
        writer.AddUInt64(PunchAttributeType.Timestamp, 1);
        Assert.Equal(SignatureCheck.Unsigned, MessageAuthentication.Verify(writer.Written, MessageCatalog.Signature.Key.Span, out _));
    }

    [Fact]
    public void A_short_integrity_value_is_malformed()
    {
        var datagram = Wire.AppendAttribute(Wire.Write(new BindingRequest(Wire.FixedTransactionId).WriteTo)[..^8], StunAttributeType.MessageIntegritySha256, new byte[20]);
        Assert.False(StunMessage.TryParse(datagram, out _));
    }

    [Fact]
    public void The_derived_key_is_hkdf_sha256_with_the_network_as_info()
    {
        // Computed independently (Python hmac): HKDF-SHA256(ikm = key, salt = "punch/rendezvous/v1", info = "home", 32 bytes).
        Assert.Equal("2400fe90a587cacc2866c197e0ce44e1da14377712e38375e5d4407e525fb503",
            Hex.Format(MessageAuthentication.DeriveKey("home", "correct horse battery staple")));
        Assert.NotEqual(MessageAuthentication.DeriveKey("home", "correct horse battery staple"), MessageAuthentication.DeriveKey("work", "correct horse battery staple"));
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(30, true)]
    [InlineData(-30, true)]
    [InlineData(31, false)]
    [InlineData(-31, false)]
    public void Freshness_allows_the_clock_skew_either_way(int secondsOff, bool fresh)
    {
        var now = MessageCatalog.Signature.SignedAt;
        Assert.Equal(fresh, MessageAuthentication.IsFresh(now.AddSeconds(secondsOff), now, MessageAuthentication.MaxClockSkew));
    }
}
