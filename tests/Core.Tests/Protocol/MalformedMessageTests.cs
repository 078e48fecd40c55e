using System.Buffers.Binary;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;
using static Punch.Core.Tests.Support.MalformedInput;

namespace Punch.Core.Tests.Protocol;

public sealed class MalformedMessageTests
{

    // ---- STUN framing (RFC 8489 §5, §14) ----

    [Fact]
    public void Valid_message_parses()
    {
        // The control for the rejections below: each starts from these bytes.
        Assert.True(Parses(Catalog("BindingResponse")));
        Assert.True(BindingResponse.TryRead(Catalog("BindingResponse"), out _));
    }

    [Fact]
    public void Wrong_magic_cookie_is_rejected()
    {
        var datagram = Catalog("BindingResponse");
        datagram[7] ^= 0x01;
        Assert.False(StunMessage.LooksLikeStun(datagram));
        Assert.False(Parses(datagram));
        Assert.False(BindingResponse.TryRead(datagram, out _));
    }

    [Fact]
    public void Top_two_bits_set_is_not_stun()
    {
        var datagram = Catalog("BindingRequest");
        datagram[0] |= 0x40;
        Assert.False(Parses(datagram));
    }

    [Fact]
    public void Length_not_a_multiple_of_four_is_rejected()
    {
        var original = Catalog("BindingResponse");
        var datagram = Wire.WithHeaderLengthField([.. original, 0, 0], original.Length + 2 - StunConstants.HeaderLength);
        Assert.False(Parses(datagram));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-4)]
    public void Header_length_that_disagrees_with_the_datagram_is_rejected(int difference)
    {
        var datagram = Catalog("BindingResponse");
        Assert.False(Parses(Wire.WithHeaderLengthField(datagram, Wire.HeaderLengthField(datagram) + difference)));
    }

    [Fact]
    public void Extra_bytes_after_the_declared_length_are_rejected()
    {
        Assert.False(Parses([.. Catalog("BindingResponse"), 0, 0, 0, 0]));
    }

    [Fact]
    public void Attribute_length_beyond_the_end_is_rejected()
    {
        var datagram = Wire.Build(StunMessageType.BindingSuccess, b => b.AddString(StunAttributeType.Software, "abcd"));
        Assert.True(Parses(datagram));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(StunConstants.HeaderLength + 2), 8);
        Assert.False(Parses(datagram));
    }

    [Fact]
    public void Attribute_header_cut_short_is_rejected()
    {
        var datagram = Wire.AppendAttribute(Catalog("BindingRequest")[..^8], StunAttributeType.Software, []);
        var cut = Wire.WithHeaderLengthField(datagram[..^2], datagram.Length - 2 - StunConstants.HeaderLength);
        Assert.False(Parses(cut));
    }

    [Fact]
    public void Fingerprint_not_last_is_rejected()
    {
        var datagram = Wire.AppendAttribute(Catalog("BindingResponse"), StunAttributeType.Software, "late"u8);
        Assert.False(Parses(datagram));
        Assert.False(BindingResponse.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    public void Fingerprint_with_wrong_length_is_rejected(int length)
    {
        Assert.False(Parses(Wire.Build(StunMessageType.BindingRequest, b => b.Add(StunAttributeType.Fingerprint, new byte[length]))));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(32)]
    public void Message_integrity_with_wrong_length_is_rejected(int length)
    {
        Assert.False(Parses(Wire.Build(StunMessageType.BindingRequest, b => b.Add(StunAttributeType.MessageIntegrity, new byte[length]))));
    }

    [Fact]
    public void Tampered_fingerprint_does_not_verify()
    {
        var datagram = Catalog("BindingResponse");
        datagram[^1] ^= 0x01;
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.False(message.VerifyFingerprint());
    }

    [Fact]
    public void Message_without_integrity_or_fingerprint_verifies_neither()
    {
        Assert.True(StunMessage.TryParse(Wire.Build(StunMessageType.BindingRequest, _ => { }), out var message));
        Assert.False(message.VerifyMessageIntegrity(MessageCatalog.ReceiverPasswordKey));
        Assert.False(message.VerifyFingerprint());
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored()
    {
        // USE-CANDIDATE after MESSAGE-INTEGRITY is not covered by it (RFC 8489 §14.5): anyone on the path could have added it.
        var datagram = Wire.Write(destination =>
        {
            var writer = new StunWriter(destination, StunMessageType.BindingRequest, Wire.FixedTransactionId);
            writer.AddString(StunAttributeType.Username, "bob:alice");
            writer.AddUInt64(StunAttributeType.IceControlling, 1);
            writer.AddMessageIntegrity(MessageCatalog.ReceiverPasswordKey);
            writer.AddFlag(StunAttributeType.UseCandidate);
            return writer.Length;
        });

        Assert.True(ConnectivityCheck.TryRead(datagram, MessageCatalog.ReceiverPasswordKey, out var check));
        Assert.False(check.UseCandidate);
    }

    [Theory]
    [InlineData(StunAttributeType.IceControlling, 4)]
    [InlineData(StunAttributeType.IceControlled, 9)]
    [InlineData(StunAttributeType.Priority, 8)]
    public void Check_without_a_well_formed_role_is_rejected(ushort roleAttribute, int length)
    {
        var datagram = Wire.Write(destination =>
        {
            var writer = new StunWriter(destination, StunMessageType.BindingRequest, Wire.FixedTransactionId);
            writer.AddString(StunAttributeType.Username, "bob:alice");
            writer.Add(roleAttribute, new byte[length]);
            writer.AddMessageIntegrity(MessageCatalog.ReceiverPasswordKey);
            return writer.Length;
        });

        Assert.False(ConnectivityCheck.TryRead(datagram, MessageCatalog.ReceiverPasswordKey, out _));
    }

    // ---- which reader accepts which message ----

    /// <summary>Readers that accept more than their own message, on purpose.</summary>
    private static readonly Dictionary<string, string[]> AlsoAccepted = new()
    {
        ["BindingResponse"] = ["BindingResponse signed"],
        // A signature is extra attributes an unkeyed reader skips: the server decides separately whether the network needs one.
        ["ConnectRequest"] = ["ConnectRequest signed"],
        // NAT reports are optional attributes: old and new forms of the same message read alike (unknown when absent).
        // So is the address cookie: a first Register has none, the one that answers a challenge has it.
        // So is the other family's server-reflexive candidate, learned after the first registration.
        ["RegisterRequest"] = ["RegisterRequest with NAT report", "RegisterRequest with cookie", "RegisterRequest with other-family reflexive"],
        ["RegisterRequest with NAT report"] = ["RegisterRequest", "RegisterRequest with cookie", "RegisterRequest with other-family reflexive"],
        ["RegisterRequest with cookie"] = ["RegisterRequest", "RegisterRequest with NAT report", "RegisterRequest with other-family reflexive"],
        ["RegisterRequest with other-family reflexive"] = ["RegisterRequest", "RegisterRequest with NAT report", "RegisterRequest with cookie"],
        // OTHER-FAMILY-SERVER is optional: a server without a public address of the other family leaves it out.
        ["RegistrationResponse with other family"] = ["RegistrationResponse", "RegistrationResponse with ports"],
        ["RelayActivateRequest"] = ["RelayActivateRequest with cookie"],
        ["RelayActivateRequest with cookie"] = ["RelayActivateRequest"],
        // An address challenge is a 438 error response: peers that do not know it still read its code and reason.
        ["ErrorResponse"] = ["AddressChallenge"],
        ["RefreshRequest"] = ["RefreshRequest without lifetime", "RefreshRequest with NAT report"],
        ["RefreshRequest without lifetime"] = ["RefreshRequest", "RefreshRequest with NAT report"],
        ["RefreshRequest with NAT report"] = ["RefreshRequest", "RefreshRequest without lifetime"],
        ["Introduction"] = ["Introduction with remote NAT"],
        ["Introduction with remote NAT"] = ["Introduction"],
        // SERVICE-SECRET is optional: a first registration and a reconnect read alike, and a signed reader takes either signed one.
        ["ExposeRegisterRequest"] = ["ExposeRegisterRequest signed", "ExposeRegisterRequest with secret signed"],
        ["ExposeRegisterRequest signed"] = ["ExposeRegisterRequest with secret signed"],
        ["ExposeRegisterRequest with secret signed"] = ["ExposeRegisterRequest signed"],
        ["ReportRequest"] = ["ReportRequest minimal"],
        ["ReportRequest minimal"] = ["ReportRequest"],
        ["GoodbyeIndication"] = ["GoodbyeIndication without reason"],
        ["GoodbyeIndication without reason"] = ["GoodbyeIndication"],
        ["RelayClosedIndication"] = ["RelayClosedIndication without reason"],
        ["RelayClosedIndication without reason"] = ["RelayClosedIndication"],
        // The probe and control ports are optional: a server without them answers alike.
        ["RegistrationResponse"] = ["RegistrationResponse with ports", "RegistrationResponse with other family"],
        ["RegistrationResponse with ports"] = ["RegistrationResponse", "RegistrationResponse with other family"],
        ["SuccessResponse"] = ["BindingResponse", "BindingResponse signed", "RegistrationResponse", "RegistrationResponse with ports", "RegistrationResponse with other family", "ConnectResponse", "IntroductionAck", "RelayActivateResponse", "ExposeRegisterResponse"],
    };

    public static TheoryData<string> Messages => MessageCatalog.Names();

    [Theory]
    [MemberData(nameof(Messages))]
    public void Reader_accepts_only_its_own_kind_of_message(string readerName)
    {
        var reader = MessageCatalog.Get(readerName);
        string[] expected = [readerName, .. AlsoAccepted.GetValueOrDefault(readerName, [])];
        var accepted = MessageCatalog.All.Where(c => reader.Reads(c.Datagram)).Select(c => c.Name);
        Assert.Equal(expected.Order(), accepted.Order());
    }
}
