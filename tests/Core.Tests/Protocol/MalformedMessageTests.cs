using System.Buffers.Binary;
using System.Net;
using System.Text;
using Punch.Core.Peering;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Protocol;

public sealed class MalformedMessageTests
{
    private static readonly StunMessageType RegisterType = new(PunchMethod.Register, StunClass.Request);

    private static byte[] Catalog(string name) => MessageCatalog.Get(name).Datagram;

    private static bool Parses(byte[] datagram) => StunMessage.TryParse(datagram, out _);

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
        ["RefreshRequest"] = ["RefreshRequest without lifetime"],
        ["RefreshRequest without lifetime"] = ["RefreshRequest"],
        ["ReportRequest"] = ["ReportRequest minimal"],
        ["ReportRequest minimal"] = ["ReportRequest"],
        ["GoodbyeIndication"] = ["GoodbyeIndication without reason"],
        ["GoodbyeIndication without reason"] = ["GoodbyeIndication"],
        ["SuccessResponse"] = ["BindingResponse", "BindingResponse signed", "RegistrationResponse", "ConnectResponse", "IntroductionAck"],
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

    // ---- Punch attributes ----

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]             // invalid continuation byte
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 })]       // 0xFF never appears in UTF-8
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // an encoded surrogate
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    public void Invalid_utf8_in_a_name_is_rejected(byte[] name)
    {
        var datagram = Wire.Build(RegisterType, b => b.Add(PunchAttributeType.PeerName, name));
        Assert.False(RegisterRequest.TryRead(datagram, out _));

        var connect = Wire.Build(new StunMessageType(PunchMethod.Connect, StunClass.Request),
            b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.TargetPeer, name));
        Assert.False(ConnectRequest.TryRead(connect, out _));
    }

    [Fact]
    public void Invalid_utf8_in_a_reason_is_rejected()
    {
        var report = Wire.Build(new StunMessageType(PunchMethod.Report, StunClass.Request), b => b
            .AddString(PunchAttributeType.PeerName, "alice")
            .Add(PunchAttributeType.SessionId, 0, 0, 0, 0, 0, 0, 0, 1)
            .Add(PunchAttributeType.Outcome, (byte)SessionOutcome.Failed)
            .Add(PunchAttributeType.Reason, 0xC3, 0x28));
        Assert.False(ReportRequest.TryRead(report, out _));
    }

    [Theory]
    [InlineData("alice", true)]
    [InlineData("A.b_c-9", true)]
    [InlineData("", false)]
    [InlineData("al ice", false)]
    [InlineData("alice\n", false)]
    [InlineData("al:ice", false)]
    [InlineData("al/ice", false)]
    [InlineData("alïce", false)]
    public void Peer_names_follow_the_rules(string name, bool valid)
    {
        Assert.Equal(valid, PeerIdentity.IsValidName(name));
        var register = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity("home", name), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(register.WriteTo), out _));
        var inNetwork = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity(name, "alice"), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(inNetwork.WriteTo), out _));
    }

    [Theory]
    [InlineData(PeerIdentity.MaxNameBytes, true)]
    [InlineData(PeerIdentity.MaxNameBytes + 1, false)]
    public void Names_are_at_most_64_characters(int length, bool valid)
    {
        var register = new RegisterRequest(Wire.FixedTransactionId, new PeerIdentity("home", new string('a', length)), []);
        Assert.Equal(valid, RegisterRequest.TryRead(Wire.Write(register.WriteTo), out _));
    }

    [Fact]
    public void Missing_network_means_the_default_network()
    {
        var datagram = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice"));
        Assert.True(RegisterRequest.TryRead(datagram, out var request));
        Assert.Equal(new PeerIdentity(PeerIdentity.DefaultNetwork, "alice"), request.Peer);
        Assert.Empty(request.HostCandidates);
    }

    [Fact]
    public void Writers_send_at_most_16_candidates_so_their_own_readers_accept_the_message()
    {
        var endPoints = Enumerable.Range(1, 17).Select(i => new IPEndPoint(IPAddress.Parse($"198.18.0.{i}"), 1000 + i)).ToArray();
        var register = new RegisterRequest(Wire.FixedTransactionId, MessageCatalog.Alice, [.. endPoints]);
        Assert.True(RegisterRequest.TryRead(Wire.Write(register.WriteTo), out var readRegister));
        Assert.Equal(endPoints.Take(16), readRegister.HostCandidates);

        var introduction = new Introduction(Wire.FixedTransactionId, MessageCatalog.Session, "bob", true, new IceCredentials("l", "lp"), new IceCredentials("r", "rp"),
            [.. endPoints.Select(e => new Candidate(CandidateKind.Host, e))]);
        Assert.True(Introduction.TryRead(Wire.Write(introduction.WriteTo), out var readIntroduction));
        Assert.Equal(16, readIntroduction.Candidates.Length);
    }

    [Theory]
    [InlineData(16, true)]
    [InlineData(17, false)]
    public void Readers_refuse_more_than_16_candidates(int count, bool accepted)
    {
        var datagram = Wire.Build(RegisterType, b =>
        {
            b.AddString(PunchAttributeType.PeerName, "alice");
            for (int i = 1; i <= count; i++)
            {
                var value = new byte[12];
                value[0] = (byte)CandidateKind.Host;
                StunAddress.WriteXor(value.AsSpan(4), new IPEndPoint(IPAddress.Parse($"198.18.0.{i}"), 1000 + i), Wire.FixedTransactionId);
                b.Add(PunchAttributeType.Candidate, value);
            }
        });
        Assert.Equal(accepted, RegisterRequest.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(0xFF)]
    public void Unknown_address_family_is_rejected(byte family)
    {
        var xorMapped = Hex.Parse("0001 2c84 e721c045");
        xorMapped[1] = family;
        var response = Wire.Build(StunMessageType.BindingSuccess, b => b.Add(StunAttributeType.XorMappedAddress, xorMapped));
        Assert.False(BindingResponse.TryRead(response, out _));

        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, [1, 0, 0, 0, .. xorMapped]));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    [Theory]
    [InlineData("0001 2c84 e721c0")]                                       // IPv4 one byte short
    [InlineData("0001 2c84 e721c045 00")]                                  // IPv4 one byte long
    [InlineData("0002 329a 0113a9fa 01020304 05060708 090a0b")]            // IPv6 one byte short
    [InlineData("0002 329a 0113a9fa")]                                     // IPv6 family, IPv4 length
    public void Address_of_the_wrong_length_for_its_family_is_rejected(string value)
    {
        var response = Wire.Build(StunMessageType.BindingSuccess, b => b.Add(StunAttributeType.XorMappedAddress, Hex.Parse(value)));
        Assert.False(BindingResponse.TryRead(response, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    public void Unknown_candidate_kind_is_rejected(byte kind)
    {
        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, Hex.Parse($"{kind:x2}000000 0001 2c84 e721c045")));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    [Fact]
    public void Register_accepts_only_host_candidates()
    {
        var register = Wire.Build(RegisterType, b => b.AddString(PunchAttributeType.PeerName, "alice").Add(PunchAttributeType.Candidate, Hex.Parse("02000000 0001 2c84 e721c045")));
        Assert.False(RegisterRequest.TryRead(register, out _));
    }

    [Theory]
    [InlineData("lo:cal", "lpass")]
    [InlineData("lufr", "")]
    public void Introduction_with_an_unusable_credential_is_rejected(string localUfrag, string localPassword)
    {
        var introduction = new Introduction(Wire.FixedTransactionId, MessageCatalog.Session, "bob", true, new IceCredentials(localUfrag, localPassword),
            new IceCredentials("rufr", "rpass"), []);
        Assert.False(Introduction.TryRead(Wire.Write(introduction.WriteTo), out _));
    }

    [Fact]
    public void Introduction_with_an_unknown_role_is_rejected()
    {
        var datagram = Catalog("Introduction");
        int role = Wire.FindAttribute(datagram, PunchAttributeType.Role);
        datagram[role + 4] = 2;
        Assert.False(Introduction.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(PunchAttributeType.Outcome, 0)]
    [InlineData(PunchAttributeType.Outcome, 5)]
    [InlineData(PunchAttributeType.PathKind, 0)]
    [InlineData(PunchAttributeType.PathKind, 3)]
    public void Report_with_an_unknown_enum_value_is_rejected(ushort attribute, byte value)
    {
        var datagram = Catalog("ReportRequest");
        datagram[Wire.FindAttribute(datagram, attribute) + 4] = value;
        Assert.False(ReportRequest.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void Connect_response_with_an_unknown_status_is_rejected(byte status)
    {
        var datagram = Catalog("ConnectResponse");
        datagram[Wire.FindAttribute(datagram, PunchAttributeType.ConnectStatus) + 4] = status;
        Assert.False(ConnectResponse.TryRead(datagram, out _));
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(7, 0)]
    [InlineData(4, 100)]
    public void Error_code_outside_300_to_699_is_rejected(byte errorClass, byte number)
    {
        var datagram = Wire.Build(new StunMessageType(PunchMethod.Connect, StunClass.ErrorResponse), b => b.Add(StunAttributeType.ErrorCode, 0, 0, errorClass, number));
        Assert.False(ErrorResponse.TryRead(datagram, out _));
    }

    [Fact]
    public void Session_id_of_the_wrong_length_is_rejected()
    {
        var datagram = Wire.Build(new StunMessageType(PunchMethod.Introduction, StunClass.SuccessResponse), b => b.Add(PunchAttributeType.SessionId, 1, 2, 3, 4));
        Assert.False(IntroductionAck.TryRead(datagram, out _));
    }

    [Fact]
    public void Long_reasons_are_cut_on_a_character_boundary()
    {
        string reason = string.Concat(Enumerable.Repeat("é😀", 100)); // 2 + 4 bytes per repetition, 600 bytes
        var report = new ReportRequest(Wire.FixedTransactionId, MessageCatalog.Alice, MessageCatalog.Session, SessionOutcome.Failed, Reason: reason);
        Assert.True(ReportRequest.TryRead(Wire.Write(report.WriteTo), out var read));
        Assert.NotNull(read.Reason);
        Assert.StartsWith(read.Reason, reason, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(read.Reason), 256 - 5, 256);

        var error = new ErrorResponse(PunchMethod.Connect, Wire.FixedTransactionId, 400, new string('x', 1000));
        Assert.True(ErrorResponse.TryRead(Wire.Write(error.WriteTo), out var readError));
        Assert.Equal(ErrorResponse.MaxReasonCharacters, readError.Reason.Length);

        var multiByte = new ErrorResponse(PunchMethod.Connect, Wire.FixedTransactionId, 400, reason);
        Assert.True(ErrorResponse.TryRead(Wire.Write(multiByte.WriteTo), out var readMultiByte));
        Assert.StartsWith(readMultiByte.Reason, reason, StringComparison.Ordinal);
        Assert.InRange(readMultiByte.Reason.Length, ErrorResponse.MaxReasonCharacters - 1, ErrorResponse.MaxReasonCharacters);
    }

    // ---- PeerFrame ----

    [Fact]
    public void Peer_frame_may_carry_padding_after_its_length()
    {
        Assert.True(PeerFrame.TryRead([.. Catalog("PeerFrame"), 0, 0, 0], out var frame));
        Assert.Equal("hi", frame.Text);
    }

    [Theory]
    [InlineData("3fff 000d 01 00000000 0000000000000000")]         // channel below 0x4000 (looks like STUN)
    [InlineData("5000 000d 01 00000000 0000000000000000")]         // channel above 0x4FFF
    [InlineData("4000 000c 01 00000000 00000000000000")]           // shorter than the fixed payload
    [InlineData("4000 000e 01 00000000 0000000000000000")]         // declared length beyond the datagram
    [InlineData("4000 000d 00 00000000 0000000000000000")]         // type 0
    [InlineData("4000 000d 06 00000000 0000000000000000")]         // type 6
    [InlineData("4000 000f 03 00000000 0000000000000000 c328")]    // invalid UTF-8 text
    [InlineData("4000")]
    public void Malformed_peer_frame_is_rejected(string hex)
    {
        Assert.False(PeerFrame.TryRead(Hex.Parse(hex), out _));
    }

    [Fact]
    public void Peer_frame_text_is_at_most_1024_bytes()
    {
        var largest = new PeerFrame(0x4000, PeerFrameType.Message, 1, 2, new string('x', PeerFrame.MaxTextBytes));
        var buffer = new byte[PeerFrame.HeaderLength + PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes + 1];
        Assert.True(PeerFrame.TryRead(buffer.AsSpan(0, largest.WriteTo(buffer)), out var read));
        Assert.Equal(largest, read);

        var tooLarge = largest with { Text = largest.Text + "x" };
        Assert.Throws<ArgumentException>(() => tooLarge.WriteTo(buffer));

        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), PeerFrame.FixedPayloadLength + PeerFrame.MaxTextBytes + 1);
        Assert.False(PeerFrame.TryRead(buffer, out _));
    }
}
